package conformance

import (
	"context"
	"errors"
	"time"

	"github.com/execref/execref/sdk/host"
)

// link is a session's way to the target over one transport, opened once
// and shared by every case of the session, so that plugin and agent keep
// one resolver process for the whole run, as they would for a gateway.
type link interface {
	// exec runs the target once on stdin as the gateway runs it. side is
	// what the target wrote elsewhere meanwhile (the agent's log lines),
	// for the cases that look for values where they must not be. Over
	// the agent, a run answered cold is an error (*coldError).
	exec(ctx context.Context, name string, p host.Provider, stdin []byte) (run *host.Run, side []byte, err error)
	close()
}

// caller is a link that sends batches as calls rather than as stdin:
// go-plugin, whose requests are built by its runner.
type caller interface {
	call(ctx context.Context, alias string, p host.Provider, ids []string) (*callResult, error)
}

// callResult is one call's answer and what the runner saw of it.
type callResult struct {
	results map[string]host.Result
	took    time.Duration
	stderr  []byte // the resolver's stderr lines during the call, as the runner passes them on (redacted)
}

// errNoProcess: a case that writes stdin itself ran over a transport
// that has no process per batch. The case's transport rules should have
// skipped it: a bug in the suite, reported as a failure so it shows.
var errNoProcess = errors.New("this case writes the request on stdin itself, which go-plugin has no place for (a bug in the suite: the case should be skipped over plugin)")

// execLink runs one process per batch through the host runner: the exec
// transport.
type execLink struct{ runner *host.Runner }

func (l *execLink) exec(ctx context.Context, name string, p host.Provider, stdin []byte) (*host.Run, []byte, error) {
	run, err := l.runner.Exec(ctx, name, p, stdin)
	return run, nil, err
}

func (l *execLink) close() {}
