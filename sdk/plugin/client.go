package plugin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-plugin/runner"
	"google.golang.org/grpc"

	"github.com/execref/execref/sdk/plugin/resolverpb"
)

// client is one running resolver process and its gRPC stub.
type client struct {
	key    string
	gp     *goplugin.Client
	proc   *process // set once go-plugin asked for the runner
	rpc    resolverpb.ResolverClient
	stderr *stderrSink
	once   sync.Once
}

// clientKey identifies a provider's process: everything the process was
// started with. The environment may hold credentials, so the key is a
// digest, never the text.
func clientKey(name, abs string, args, env []string) string {
	h := sha256.New()
	for _, part := range [][]string{{name, abs}, args, env} {
		fmt.Fprintf(h, "%d\x00", len(part))
		for _, s := range part {
			fmt.Fprintf(h, "%d\x00%s\x00", len(s), s)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// startClient launches the resolver and completes go-plugin's handshake
// within ctx. On failure the returned client (if any) holds what is
// known of the process, for the error.
func startClient(ctx context.Context, abs string, args, env []string, stderr io.Writer) (*client, error) {
	c := &client{stderr: newStderrSink(stderr)}
	start := time.Minute
	if d, ok := ctx.Deadline(); ok {
		start = time.Until(d)
	}
	c.gp = goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  Handshake,
		Plugins:          goplugin.PluginSet{pluginName: &resolverPlugin{}},
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		RunnerFunc: func(_ hclog.Logger, spec *exec.Cmd, _ string) (runner.Runner, error) {
			// spec carries only go-plugin's variables (SkipHostEnv).
			cmd := &exec.Cmd{
				Path: abs,
				Args: append([]string{abs}, args...),
				Env:  append(append([]string{}, env...), spec.Env...),
				Dir:  filepath.Dir(abs),
			}
			p, err := newProcess(cmd)
			c.proc = p
			return p, err
		},
		SkipHostEnv:  true,
		StartTimeout: start,
		Stderr:       c.stderr,
		Logger:       hclog.NewNullLogger(),
	})
	proto, err := c.gp.Client()
	if err != nil {
		return c, err
	}
	raw, err := proto.Dispense(pluginName)
	if err != nil {
		return c, err
	}
	rpc, ok := raw.(resolverpb.ResolverClient)
	if !ok {
		return c, fmt.Errorf("go-plugin dispensed %T, not a resolver client", raw)
	}
	c.rpc = rpc
	return c, nil
}

// resolve is one call; answers larger than maxBytes are refused by gRPC
// (codes.ResourceExhausted), as the exec host refuses more output than
// maxOutputBytes.
func (c *client) resolve(ctx context.Context, req *resolverpb.ResolveRequest, maxBytes int) (*resolverpb.ResolveResponse, error) {
	return c.rpc.Resolve(ctx, req, grpc.MaxCallRecvMsgSize(maxBytes))
}

// kill ends the process (its whole group) and writes what is left of its
// stderr.
func (c *client) kill() {
	c.once.Do(func() {
		if c.proc != nil {
			_ = c.proc.Kill(context.Background())
		}
		c.gp.Kill()
		c.stderr.flush()
	})
}

// close asks the process to stop (go-plugin's shutdown call: the resolver
// then returns from serving and closes its backend, which releases what
// it kept warm) and kills it, with its group, when it has not stopped
// within go-plugin's grace of two seconds. Runner.Close uses it; a call
// that failed kills at once instead.
func (c *client) close() {
	c.once.Do(func() {
		c.gp.Kill()
		if c.proc != nil {
			// Whatever the resolver left behind in its group.
			_ = c.proc.Kill(context.Background())
		}
		c.stderr.flush()
	})
}

// exitedWithin waits briefly for the process to be reaped, so that a
// crash is reported with its status, as the exec host reports it.
func (c *client) exitedWithin(d time.Duration) (int, string, bool) {
	if c == nil || c.proc == nil {
		return 0, "", false
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return c.proc.exited(ctx)
}
