package transportbench

import (
	"context"
	"time"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/plugin"
)

// A Transport resolves batches of one Setup.
type Transport interface {
	// Resolve resolves one batch, with host.Runner.Resolve's results and
	// errors.
	Resolve(ctx context.Context, ids []string) (map[string]host.Result, error)
	// LiveCPU is the CPU time so far of the long-lived resolver process
	// the transport keeps (zero for cold runs, whose processes count
	// among this process's waited-for children instead); false when it
	// cannot be read here.
	LiveCPU() (time.Duration, bool)
	// Close stops what the transport started.
	Close() error
}

// Cold is the gateway's way: host.Runner, a process per batch.
func Cold(s Setup) Transport {
	return &cold{s: s, r: &host.Runner{LookupEnv: s.lookupEnv()}}
}

type cold struct {
	s Setup
	r *host.Runner
}

func (c *cold) Resolve(ctx context.Context, ids []string) (map[string]host.Result, error) {
	return c.r.Resolve(ctx, c.s.Name, c.s.Provider, ids)
}

func (c *cold) LiveCPU() (time.Duration, bool) { return 0, true }
func (c *cold) Close() error                   { return nil }

// Plugin is go-plugin: plugin.Runner, which starts the resolver on the
// first batch and keeps it for the next ones.
func Plugin(s Setup) Transport {
	return &pluginTransport{s: s, r: &plugin.Runner{LookupEnv: s.lookupEnv()}}
}

type pluginTransport struct {
	s   Setup
	r   *plugin.Runner
	pid int
}

func (p *pluginTransport) Resolve(ctx context.Context, ids []string) (map[string]host.Result, error) {
	return p.r.Resolve(ctx, p.s.Name, p.s.pluginProvider(), ids)
}

// LiveCPU finds the process plugin.Runner started (it does not say which
// it is): this process's only child running the provider's command with
// go-plugin's handshake cookie in its environment.
func (p *pluginTransport) LiveCPU() (time.Duration, bool) {
	if p.pid == 0 {
		pid, ok := childRunning(host.CommandPath(p.s.pluginProvider().Command), plugin.Handshake.MagicCookieKey+"="+plugin.Handshake.MagicCookieValue)
		if !ok {
			return 0, false
		}
		p.pid = pid
	}
	return ProcessCPU(p.pid)
}

func (p *pluginTransport) Close() error { return p.r.Close() }
