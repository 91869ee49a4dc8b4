package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/execref/execref/sdk/clidoc"
	"github.com/execref/execref/sdk/host"
)

// options is the command line.
type options struct {
	name     string
	provider host.Provider
	ids      []string
	reveal   bool
	json     bool
	verbose  bool
	version  bool
	// config is --config: read the provider block from openclaw.json.
	config     configFlag
	gatewayCwd string
	// set are the flags given, by name.
	set map[string]bool
}

// blockFlags mirror the keys of a provider block: with --config the block
// sets them, so they may not be given too.
var blockFlags = []string{"command", "arg", "pass-env", "env", "trusted-dir", "timeout-ms", "no-output-timeout-ms", "max-output-bytes", "json-only"}

// list is a repeatable string flag.
type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

// blockValues are the flags that make a provider block, as given.
type blockValues struct {
	args, passEnv, env, trusted list
	jsonOnly                    bool
}

// newFlagSet defines the command line's flags; --help, the man page and
// the completions are written from it too (see programDoc).
func newFlagSet(o *options, b *blockValues) *flag.FlagSet {
	fs := flag.NewFlagSet("openclaw-resolver-run", flag.ContinueOnError)
	fs.StringVar(&o.name, "provider", "default", "provider alias (the `name` under secrets.providers)")
	fs.Var(&o.config, "config", "read the provider block from openclaw.json: `[FILE]`, or the file the gateway reads")
	fs.StringVar(&o.gatewayCwd, "gateway-cwd", "", "with --config: the gateway's working `dir`, whose .env it reads (default: this one)")
	fs.StringVar(&o.provider.Command, "command", "", "absolute `path` of the resolver (command)")
	fs.Var(&b.args, "arg", "one argument for the resolver, repeatable (args); use --arg=--flag for flags")
	fs.Var(&b.passEnv, "pass-env", "`NAME` of a variable to pass from this environment, repeatable (passEnv)")
	fs.Var(&b.env, "env", "`NAME=VALUE` to set for the resolver, repeatable (env)")
	fs.Var(&b.trusted, "trusted-dir", "`dir` the command must be inside, repeatable (trustedDirs)")
	fs.IntVar(&o.provider.TimeoutMs, "timeout-ms", 0, "`ms` before the run is killed (timeoutMs; default 5000)")
	fs.IntVar(&o.provider.NoOutputTimeoutMs, "no-output-timeout-ms", 0, "`ms` of silence before the run is killed (noOutputTimeoutMs; default timeoutMs)")
	fs.IntVar(&o.provider.MaxOutputBytes, "max-output-bytes", 0, "`bytes` of stdout+stderr before the run is killed (maxOutputBytes; default 1048576)")
	fs.BoolVar(&b.jsonOnly, "json-only", true, "require a JSON response (jsonOnly)")
	fs.BoolVar(&o.verbose, "verbose", false, "pass --verbose to a resolver built on the execref SDK (the gateway does not), and show how the run went")
	fs.BoolVar(&o.reveal, "reveal", false, "print values instead of masking them")
	fs.BoolVar(&o.json, "json", false, "print results as JSON")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	return fs
}

func parseFlags(args []string, stdout io.Writer) (options, error) {
	var o options
	var b blockValues
	fs := newFlagSet(&o, &b)
	printUsage := func() { clidoc.Help(stdout, programDoc()) }
	ids, err := parseInterleaved(fs, args, printUsage, &o.config)
	if err != nil {
		return o, err
	}
	o.ids = ids
	if o.version {
		return o, nil
	}
	o.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	if o.config.set {
		return o, checkConfigFlags(o)
	}
	if o.set["gateway-cwd"] {
		return o, errors.New("--gateway-cwd needs --config (see --help)")
	}
	o.provider.Source = "exec"
	o.provider.Args, o.provider.PassEnv, o.provider.TrustedDirs = b.args, b.passEnv, b.trusted
	o.provider.JSONOnly = &b.jsonOnly
	for _, kv := range b.env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return o, fmt.Errorf("--env %q: want NAME=VALUE", kv)
		}
		if o.provider.Env == nil {
			o.provider.Env = map[string]string{}
		}
		o.provider.Env[k] = v
	}
	switch {
	case o.provider.Command == "":
		return o, errors.New("--command is required, or --config (see --help)")
	case len(o.ids) == 0:
		return o, errors.New("no ids to resolve (see --help)")
	}
	return o, nil
}

// checkConfigFlags refuses flags that would change the block read from
// openclaw.json: the run must be the gateway's.
func checkConfigFlags(o options) error {
	for _, name := range blockFlags {
		if o.set[name] {
			return fmt.Errorf("--%s cannot be combined with --config: the provider block in openclaw.json sets it (see --help)", name)
		}
	}
	return nil
}
