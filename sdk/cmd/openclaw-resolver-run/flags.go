package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/host"
)

type config struct {
	name     string
	provider host.Provider
	ids      []string
	reveal   bool
	json     bool
}

// list is a repeatable string flag.
type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

const usage = `openclaw-resolver-run: resolve ids through an exec provider exactly as the
OpenClaw gateway would (command-path policy, empty environment plus passEnv
and env, cwd = the command's directory, timeouts, output limit, parsing).

Usage:
  openclaw-resolver-run --command /abs/resolver [flags] ID...

Each flag mirrors a key of secrets.providers.NAME in openclaw.json.

Flags:
`

func parseFlags(args []string, stdout io.Writer) (config, error) {
	var c config
	var pargs, passEnv, env, trusted list
	var jsonOnly bool
	fs := flag.NewFlagSet("openclaw-resolver-run", flag.ContinueOnError)
	fs.StringVar(&c.name, "provider", "default", "provider alias (the `name` under secrets.providers)")
	fs.StringVar(&c.provider.Command, "command", "", "absolute `path` of the resolver (command)")
	fs.Var(&pargs, "arg", "one argument for the resolver, repeatable (args); use --arg=--flag for flags")
	fs.Var(&passEnv, "pass-env", "`NAME` of a variable to pass from this environment, repeatable (passEnv)")
	fs.Var(&env, "env", "`NAME=VALUE` to set for the resolver, repeatable (env)")
	fs.Var(&trusted, "trusted-dir", "`dir` the command must be inside, repeatable (trustedDirs)")
	fs.IntVar(&c.provider.TimeoutMs, "timeout-ms", 0, "`ms` before the run is killed (timeoutMs; default 5000)")
	fs.IntVar(&c.provider.NoOutputTimeoutMs, "no-output-timeout-ms", 0, "`ms` of silence before the run is killed (noOutputTimeoutMs; default timeoutMs)")
	fs.IntVar(&c.provider.MaxOutputBytes, "max-output-bytes", 0, "`bytes` of stdout+stderr before the run is killed (maxOutputBytes; default 1048576)")
	fs.BoolVar(&jsonOnly, "json-only", true, "require a JSON response (jsonOnly)")
	fs.BoolVar(&c.reveal, "reveal", false, "print values instead of masking them")
	fs.BoolVar(&c.json, "json", false, "print results as JSON")
	printUsage := func() {
		fmt.Fprint(stdout, usage)
		sdk.PrintFlags(stdout, fs)
		fmt.Fprint(stdout, "\nExit status: 0 all ids resolved, 1 some ids failed, 2 the provider failed, 64 usage.\n")
	}
	if err := sdk.ParseFlags(fs, args, printUsage); err != nil {
		return c, err
	}
	c.provider.Source = "exec"
	c.provider.Args, c.provider.PassEnv, c.provider.TrustedDirs = pargs, passEnv, trusted
	c.provider.JSONOnly = &jsonOnly
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return c, fmt.Errorf("--env %q: want NAME=VALUE", kv)
		}
		if c.provider.Env == nil {
			c.provider.Env = map[string]string{}
		}
		c.provider.Env[k] = v
	}
	c.ids = fs.Args()
	switch {
	case c.provider.Command == "":
		return c, errors.New("--command is required (see --help)")
	case len(c.ids) == 0:
		return c, errors.New("no ids to resolve (see --help)")
	}
	return c, nil
}
