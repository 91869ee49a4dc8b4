package sdk

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/execref/execref/sdk/agent"
)

// agentOptions are the agent command's own flags, after "agent".
type agentOptions struct {
	socket      string
	cacheTTL    time.Duration
	idleTimeout time.Duration
	maxLifetime time.Duration
}

// agentFlags is the agent command's flag set, for parsing and for the
// man page and completions.
func agentFlags(a *agentOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("agent", flag.ContinueOnError)
	fs.StringVar(&a.socket, "socket", "", "listen on `path` (default: --agent or "+EnvAgent+", else $XDG_RUNTIME_DIR/execref/NAME.sock, else agent/NAME.sock in the OpenClaw state directory)")
	fs.DurationVar(&a.cacheTTL, "cache-ttl", 0, "keep each value in memory for `duration` and answer it from there (default 0: never keep a value)")
	fs.DurationVar(&a.idleTimeout, "idle-timeout", agent.DefaultIdleTimeout, "stop after `duration` without a batch")
	fs.DurationVar(&a.maxLifetime, "max-lifetime", agent.DefaultMaxLifetime, "stop `duration` after starting, however busy")
	return fs
}

// runAgent is the agent command: the backend, configured by the flags
// before "agent" and the process's environment, answers batches on a
// unix socket until it is idle, old, or told to stop (see package agent).
// Its stderr gets the agent's events and each batch's diagnostics.
func runAgent(p Program, opts options, stdout, stderr io.Writer) int {
	log := &prefixWriter{prefix: p.Name + ": agent: ", w: stderr}
	logf := func(format string, args ...any) { fmt.Fprintf(log, format+"\n", args...) }
	var a agentOptions
	fs := agentFlags(&a)
	if err := ParseFlags(fs, opts.args, nil); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printHelp(p, stdout)
			return ExitOK
		}
		logf("%v", err)
		return ExitUsage
	}
	if fs.NArg() > 0 {
		logf("unexpected argument %q: the agent takes flags only (see --help)", fs.Arg(0))
		return ExitUsage
	}
	// A duration out of range is a typo, not a wish for the default
	// (agent.Options takes zero as "the default").
	switch {
	case a.cacheTTL < 0:
		logf("--cache-ttl must not be negative, got %s", a.cacheTTL)
		return ExitUsage
	case a.idleTimeout <= 0:
		logf("--idle-timeout must be positive, got %s", a.idleTimeout)
		return ExitUsage
	case a.maxLifetime <= 0:
		logf("--max-lifetime must be positive, got %s", a.maxLifetime)
		return ExitUsage
	}
	socket := first(a.socket, opts.agent)
	if socket == "" {
		var err error
		if socket, err = agent.DefaultSocket(p.Name, os.LookupEnv); err != nil {
			logf("%v", err)
			return ExitConfig
		}
	}
	srv := newResolverServer(p, opts, stderr)
	if a.cacheTTL > 0 {
		srv.cache = newValueCache(a.cacheTTL)
		logf("values are kept in memory for %s (--cache-ttl)", a.cacheTTL)
	}
	defer closeBackend(p, logf)
	err := agent.Serve(context.Background(), agent.Options{
		Socket:      socket,
		Config:      opts.config,
		IdleTimeout: a.idleTimeout,
		MaxLifetime: a.maxLifetime,
		Logf:        logf,
	}, srv)
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, agent.ErrAgentRunning):
		logf("%v", err)
		return ExitUnavailable
	case errors.Is(err, agent.ErrUnsafeDir), errors.Is(err, agent.ErrNotSocket), errors.Is(err, agent.ErrSocketPath), errors.Is(err, agent.ErrUnsupported):
		logf("%v", err)
		return ExitConfig
	}
	logf("%v", err)
	return ExitFailure
}

// closeBackend releases what a long-lived process kept warm (see package
// warm): the backend's Close, when it has one.
func closeBackend(p Program, logf func(string, ...any)) {
	if c, ok := p.Backend.(io.Closer); ok {
		if err := c.Close(); err != nil {
			logf("closing the backend: %v", err)
		}
	}
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
