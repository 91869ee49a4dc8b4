package plugin

import (
	"context"
	"errors"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/plugin/handshake"
)

// crashGrace bounds the wait for a process whose connection broke to be
// reaped, so that the error names its exit status.
const crashGrace = 500 * time.Millisecond

// callError maps a failed start or call to the error the exec host gives
// for the same event, in its order: timeoutMs, the caller's context, the
// output limit, then the process's exit (status or signal; the SDK's
// refusal of go-plugin is told apart from any other exit). The process
// is killed in every case: its state is unknown.
func (r *Runner) callError(parent, call context.Context, name string, lim host.Limits, c *client, err error) error {
	code, signal, exited := c.exitedWithin(crashGrace)
	if c != nil {
		r.drop(c)
	}
	switch {
	case parent.Err() != nil:
		return &host.ProviderError{Provider: name, Err: parent.Err()}
	case errors.Is(call.Err(), context.DeadlineExceeded) || errors.Is(context.Cause(call), errTimeoutMs) || status.Code(err) == codes.DeadlineExceeded:
		return &host.ProviderError{Provider: name, Err: host.ErrTimeout, Limit: lim.TimeoutMs}
	case status.Code(err) == codes.ResourceExhausted:
		return &host.ProviderError{Provider: name, Err: host.ErrOutputLimit, Limit: lim.MaxOutputBytes}
	case exited && code == handshake.ExitNotServed && c.stderr.sawNotServed():
		return notServed(name, c.proc.cmd.Path)
	case exited:
		return &host.ProviderError{Provider: name, Err: host.ErrExit, ExitCode: code, Signal: signal}
	case c == nil || c.rpc == nil:
		return &host.ProviderError{Provider: name, Err: host.ErrStart, Cause: err}
	}
	return &host.ProviderError{Provider: name, Err: ErrConnection}
}
