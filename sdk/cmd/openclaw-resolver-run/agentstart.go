package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/execref/execref/sdk/gatewayconfig"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/policy"
)

// errNotSDK: the provider's command is not built on the execref SDK, so it
// has no agent command; the gateway's runs of it are all cold.
var errNotSDK = errors.New("not built on the execref SDK")

// agentStart is the resolver's agent as the gateway would start the
// provider's resolver: its checked command, its args then "agent", the
// gateway's environment for it, the command's directory.
type agentStart struct {
	provider string
	file     string // openclaw.json
	command  string
	argv     []string // command, args..., "agent", agent flags...
	args     int      // how many of argv are the provider's args
	env      []string
	dir      string
	socket   string
}

// prepareAgent reads the provider block from openclaw.json and the
// gateway's environment as the gateway does (see job.fromConfig), tells on
// w what the gateway would make of them, and checks that an agent of the
// provider can serve the gateway's runs: the command passes the gateway's
// policy (a *policy.Error), is built on the SDK (errNotSDK), and the block
// names the agent's socket (a *noSocketError).
func prepareAgent(c agentConfig, w io.Writer) (*agentStart, error) {
	cwd := c.gatewayCwd
	if cwd == "" {
		var err error
		if cwd, err = os.Getwd(); err != nil {
			return nil, fmt.Errorf("the gateway's working directory: %w (give --gateway-cwd)", err)
		}
	}
	cfg, env, err := gatewayconfig.LoadGateway(c.path, os.LookupEnv, cwd)
	if err != nil {
		return nil, err
	}
	name, err := pickProvider(cfg, c.provider, true)
	if err != nil {
		return nil, err
	}
	p := cfg.Providers[name]
	tellGatewayView(w, cfg, env, name, p)

	command := host.CommandPath(p.Command)
	if err := policy.CheckCommand(name, command, p.TrustedDirs); err != nil {
		return nil, err
	}
	if _, ok := host.BuiltWithSDK(command); !ok {
		return nil, fmt.Errorf("secrets.providers.%s.command %s is %w (its build information names no github.com/execref/execref/sdk): it has no agent, and the gateway's runs of it are all cold", name, command, errNotSDK)
	}
	childEnv := host.ChildEnv(p, env.Lookup)
	socket := configuredSocket(p.Args, childEnv)
	if socket == "" {
		return nil, newNoSocketError(name, cfg.Path, p, command, os.LookupEnv)
	}
	args := p.Args
	if c.verbose && !slices.ContainsFunc(args, isVerboseFlag) {
		args = append([]string{"--verbose"}, args...)
	}
	argv := append(append(append([]string{command}, args...), "agent"), c.agentArgs...)
	return &agentStart{
		provider: name, file: cfg.Path, command: command, argv: argv,
		args: len(args), env: childEnv, dir: filepath.Dir(command), socket: socket,
	}, nil
}

// tellGatewayView says what the gateway would make of the file and its
// environment for this provider: a service manager's journal is where an
// operator reads why the agent refuses the gateway's batches.
func tellGatewayView(w io.Writer, cfg *gatewayconfig.Config, env *gatewayconfig.Environment, name string, p host.Provider) {
	for _, issue := range cfg.Issues {
		fmt.Fprintf(w, "  warning: the gateway refuses this file: %v\n", issue)
	}
	printPassEnv(w, p, env)
	for _, m := range cfg.Missing {
		if in(m.Path, "secrets.providers."+name) {
			fmt.Fprintf(w, "  note: ${%s} at %s is not set; the gateway keeps the text as written\n", m.Name, m.Path)
		}
	}
	for _, note := range env.Notes {
		fmt.Fprintf(w, "  note: %s\n", note)
	}
}

// String is the line logged before the resolver replaces this process:
// what runs, where, with which variables, listening where. Like the
// resolve command's report it shows the args' count and the variables'
// names only: a provider block may hold a secret in either.
func (s *agentStart) String() string {
	var names []string
	for _, kv := range s.env {
		name, _, _ := strings.Cut(kv, "=")
		names = append(names, name)
	}
	args := "1 arg"
	if s.args != 1 {
		args = fmt.Sprintf("%d args", s.args)
	}
	return fmt.Sprintf("provider %q from %s: running %s with %s then %s in %s, its environment (names only): %s; the agent listens on %s",
		s.provider, s.file, s.command, args, strings.Join(s.argv[1+s.args:], " "), s.dir, strings.Join(names, ", "), s.socket)
}
