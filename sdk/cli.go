package sdk

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
)

// DefaultTimeout leaves a second of the gateway's default 5 s timeoutMs for
// process start-up and for writing the answer.
const DefaultTimeout = 4 * time.Second

// DefaultConcurrency bounds parallel backend calls per batch.
const DefaultConcurrency = 8

// Program describes a resolver binary.
type Program struct {
	Name    string  // the binary's name, e.g. "openclaw-vault-resolver"
	Summary string  // one line for --help, e.g. "secrets from HashiCorp Vault KV"
	Backend Backend // the code that fetches secrets
}

// options are the flags every resolver shares.
type options struct {
	timeout     time.Duration
	concurrency int
	verbose     bool
	version     bool
	agent       string // --agent: the agent's socket (forwarding in serve mode, listening in agent mode)

	// config is the configuration digest (see configDigest): what a
	// batch is answered from, which the agent and the exec side compare.
	config string

	command string   // the backend's command (cmdBackend)
	args    []string // its arguments
}

// command is what the arguments ask for.
type command int

const (
	cmdServe command = iota
	cmdVersion
	cmdHelp
	cmdCheck
	cmdInstall // install or config (package install)
	cmdDoc     // completion or man (for packages and users)
	cmdBackend // one of the backend's own (see Commander)
	cmdAgent   // serve batches on a unix socket (see runAgent)
)

// parseArgs parses the shared flags, the backend's flags, and an optional
// subcommand. The commands are few on purpose: serve (no argument, what the
// gateway runs), version, help and check (after the provider's args, as a
// doctor runs it), install and config (package install), completion and
// man (written from the command line itself, see programDoc), and those a
// backend adds (Commander); these last three kinds take the arguments that
// follow them.
func parseArgs(p Program, args []string) (options, command, error) {
	var o options
	fs := newFlagSet(p, &o)
	if err := ParseFlags(fs, args, nil); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, cmdHelp, nil
		}
		return o, 0, err
	}
	if o.timeout <= 0 {
		return o, 0, fmt.Errorf("--timeout must be positive, got %s", o.timeout)
	}
	if o.concurrency < 1 {
		return o, 0, fmt.Errorf("--concurrency must be at least 1, got %d", o.concurrency)
	}
	if o.version {
		return o, cmdVersion, nil
	}
	if o.agent == "" {
		o.agent, _ = os.LookupEnv(EnvAgent)
	}
	o.config = configDigest(p.Name, fs, os.Environ())
	rest := fs.Args()
	switch {
	case len(rest) == 0:
		return o, cmdServe, nil
	case len(rest) == 1 && rest[0] == "version":
		return o, cmdVersion, nil
	case len(rest) == 1 && rest[0] == "help":
		return o, cmdHelp, nil
	case len(rest) == 1 && rest[0] == "check":
		return o, cmdCheck, nil
	case rest[0] == "install" || rest[0] == "config":
		o.command, o.args = rest[0], rest[1:]
		return o, cmdInstall, nil
	case rest[0] == "agent":
		o.command, o.args = rest[0], rest[1:]
		return o, cmdAgent, nil
	case rest[0] == "completion" || rest[0] == "man":
		o.command, o.args = rest[0], rest[1:]
		return o, cmdDoc, nil
	}
	if _, names := commandsOf(p.Backend); slices.Contains(names, rest[0]) {
		o.command, o.args = rest[0], rest[1:]
		return o, cmdBackend, nil
	}
	return o, 0, fmt.Errorf("unknown command %q (see --help)", strings.Join(rest, " "))
}

func newFlagSet(p Program, o *options) *flag.FlagSet {
	fs := flag.NewFlagSet(p.Name, flag.ContinueOnError)
	fs.DurationVar(&o.timeout, "timeout", DefaultTimeout, "answer by this deadline: `duration` after start, ids not resolved by then get TIMEOUT (keep it under the provider's timeoutMs)")
	fs.IntVar(&o.concurrency, "concurrency", DefaultConcurrency, "at most `n` backend calls at once")
	fs.BoolVar(&o.verbose, "verbose", false, "print diagnostics on stderr (never values)")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.StringVar(&o.agent, agentFlag, "", "forward each batch to the agent listening on `socket` and resolve here when it is absent, refuses or is slow (also "+EnvAgent+"); the agent command listens there")
	if r, ok := p.Backend.(FlagRegisterer); ok {
		r.RegisterFlags(fs)
	}
	return fs
}

func printVersion(p Program, w io.Writer) {
	PrintVersion(w, p.Name)
}
