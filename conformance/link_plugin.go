package conformance

import (
	"context"
	"time"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/plugin"
)

// pluginLink calls the target over go-plugin through sdk/plugin.Runner,
// with host.Runner's checks and limits: the runner keeps one process per
// provider configuration for the whole session, as a Go host would.
type pluginLink struct {
	runner *plugin.Runner
	stderr *lineLog
}

func newPluginLink(lookup func(string) (string, bool)) *pluginLink {
	l := &pluginLink{stderr: newLineLog(nil)}
	l.runner = &plugin.Runner{LookupEnv: lookup, Stderr: l.stderr}
	return l
}

func (l *pluginLink) exec(context.Context, string, host.Provider, []byte) (*host.Run, []byte, error) {
	return nil, nil, errNoProcess
}

func (l *pluginLink) call(ctx context.Context, alias string, p host.Provider, ids []string) (*callResult, error) {
	mark := l.stderr.mark()
	start := time.Now()
	results, err := l.runner.Resolve(ctx, alias, p, ids)
	return &callResult{results: results, took: time.Since(start), stderr: l.stderr.since(mark)}, err
}

func (l *pluginLink) close() { _ = l.runner.Close() }
