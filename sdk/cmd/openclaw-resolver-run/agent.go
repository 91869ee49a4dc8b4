package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/clidoc"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/policy"
)

// agentConfig is `agent`'s command line.
type agentConfig struct {
	path       string
	gatewayCwd string
	verbose    bool
	provider   string
	// agentArgs are the flags after --, for the resolver's agent command.
	agentArgs []string
}

// newAgentFlagSet defines agent's flags; its --help and its part of the
// man page are written from it too (see agentDoc).
func newAgentFlagSet(c *agentConfig) *flag.FlagSet {
	fs := flag.NewFlagSet("openclaw-resolver-run agent", flag.ContinueOnError)
	fs.StringVar(&c.path, "config", "", "openclaw.json `file` (default: where the gateway looks)")
	fs.StringVar(&c.gatewayCwd, "gateway-cwd", "", "the gateway's working `dir`, whose .env it reads (default: this one)")
	fs.BoolVar(&c.verbose, "verbose", false, "pass --verbose to the resolver, whose agent then logs every batch it answers (never a value)")
	return fs
}

// agentDoc describes `agent`, for its --help and its part of the man page.
func agentDoc() clidoc.Doc {
	var c agentConfig
	return clidoc.Doc{
		Name:    "openclaw-resolver-run agent",
		Summary: "start a provider's resolver as its warm agent, with the args, environment and directory the gateway gives it",
		Usage:   []clidoc.Form{{Usage: "PROVIDER [--config FILE] [--gateway-cwd DIR] [--verbose] [-- AGENT FLAGS...]"}},
		Description: []string{
			`An agent answers only batches sent with its own configuration: every
backend flag and the whole environment. agent reads the provider block of
openclaw.json as the gateway does, applies the command-path policy,
builds the environment the gateway gives the resolver (passEnv from the
gateway's environment, env, OPENCLAW_CLI=1, nothing else), and in the
command's directory replaces itself with COMMAND ARGS... agent AGENT
FLAGS..., so that a service manager (the systemd unit
openclaw-resolver-agent@PROVIDER, the launchd agent) supervises the agent
itself.`,
			`The agent listens where the provider's runs look for it: --agent PATH in
its args, else EXECREF_AGENT in its env. A block that names neither is
refused with the line to add to it. So is a command not built on the
execref SDK, which has no agent. AGENT FLAGS are the resolver's agent
flags (--cache-ttl, --idle-timeout, --max-lifetime), not --socket.`,
		},
		Flags: newAgentFlagSet(&c),
		Exit: []clidoc.ExitStatus{
			{Code: exitOK, Meaning: "the agent stopped (idle, maximum lifetime, SIGTERM); once started, the agent is this process and any status is its own"},
			{Code: exitProvider, Meaning: "the gateway would not run the command (command-path policy), or it could not be started"},
			{Code: exitConfig, Meaning: "openclaw.json could not be read, has no such provider, names no socket for its agent, or its command is not built on the execref SDK"},
			{Code: exitUsage, Meaning: "usage: a bad command line"},
		},
	}
}

// agentMain runs `openclaw-resolver-run agent ARGS...`. On success it does
// not return: the resolver's agent has replaced this process.
func agentMain(args []string, stdout, stderr io.Writer) int {
	c, err := parseAgentArgs(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "openclaw-resolver-run agent: %v\n", err)
		return exitUsage
	}
	start, err := prepareAgent(c, stderr)
	var pol *policy.Error
	switch {
	case errors.As(err, &pol):
		fmt.Fprintf(stderr, "openclaw-resolver-run agent: the gateway would not run provider %q: %v [%s]\n", c.provider, err, host.UserCode(err))
		if hint := host.Diagnose(err, nil, nil).Hint; hint != "" {
			fmt.Fprintf(stderr, "  hint: %s\n", hint)
		}
		return exitProvider
	case err != nil:
		fmt.Fprintf(stderr, "openclaw-resolver-run agent: %v\n", err)
		return exitConfig
	}
	fmt.Fprintf(stderr, "openclaw-resolver-run agent: %s\n", start)
	err = start.exec()
	// Still here: the resolver could not be started.
	fmt.Fprintf(stderr, "openclaw-resolver-run agent: starting %s: %v\n", start.command, err)
	return exitProvider
}

// parseAgentArgs reads `agent`'s arguments: its flags, before or after
// the provider's name, and after -- the resolver's agent flags.
func parseAgentArgs(args []string, stdout io.Writer) (agentConfig, error) {
	var c agentConfig
	fs := newAgentFlagSet(&c)
	printUsage := func() { clidoc.Help(stdout, agentDoc()) }
	var names []string
	for {
		if err := sdk.ParseFlags(fs, args, printUsage); err != nil {
			return c, err
		}
		rest := fs.Args()
		if terminated, _ := scan(fs, args[:len(args)-len(rest)]); terminated {
			c.agentArgs = rest
			break
		}
		if len(rest) == 0 {
			break
		}
		names = append(names, rest[0])
		args = rest[1:]
	}
	switch {
	case len(names) == 0:
		return c, errors.New("which provider? give its name under secrets.providers (see --help)")
	case len(names) > 1:
		return c, fmt.Errorf("unexpected argument %q: the resolver's agent flags go after -- (see --help)", names[1])
	}
	c.provider = names[0]
	for _, a := range c.agentArgs {
		if name, _ := flagName(a); name == "socket" {
			return c, errors.New("--socket is not yours to give: the agent listens where the provider's runs look for it, --agent in its args or EXECREF_AGENT in its env (see --help)")
		}
	}
	return c, nil
}

// flagName is the name of a flag argument as the flag package reads it
// ("-x", "--x", "--x=v"), and its value when given with "=".
func flagName(arg string) (name, value string) {
	if !strings.HasPrefix(arg, "-") || arg == "-" || arg == "--" {
		return "", ""
	}
	name = strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-")
	name, value, _ = strings.Cut(name, "=")
	return name, value
}
