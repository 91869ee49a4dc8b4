// Command openclaw-resolver-run resolves ids through an exec provider
// exactly as the OpenClaw gateway would: the same command-path policy,
// environment, working directory, limits and response parsing. Operators use
// it to check a provider block, from flags or from their openclaw.json;
// resolver authors use it to watch their binary under the gateway's
// conditions. Unlike the gateway it shows why a provider failed: the
// resolver's stderr, what its exit status means, and what to change.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/redact"
)

// Exit statuses.
const (
	exitOK       = 0  // every id resolved
	exitIDFailed = 1  // the provider ran, some ids failed
	exitProvider = 2  // the whole provider failed (policy, limits, exit status, bad output)
	exitConfig   = 3  // openclaw.json could not be read, or has no such provider
	exitUsage    = 64 // bad command line
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// subcommands are named by the first argument. An id of the same name
// must follow a flag or "--".
var subcommands = map[string]func(args []string, stdout, stderr io.Writer) int{
	"doctor":     doctorMain,
	"agent":      agentMain,
	"completion": docCommand("completion"),
	"man":        docCommand("man"),
}

// run dispatches a subcommand; anything else is a resolution.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if cmd, ok := subcommands[args[0]]; ok {
			return cmd(args[1:], stdout, stderr)
		}
	}
	return resolveCommand(args, stdout, stderr)
}

func resolveCommand(args []string, stdout, stderr io.Writer) int {
	opts, err := parseFlags(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "openclaw-resolver-run: %v\n", err)
		return exitUsage
	}
	if opts.version {
		sdk.PrintVersion(stdout, "openclaw-resolver-run")
		return exitOK
	}
	j, err := newJob(opts, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "openclaw-resolver-run: %v\n", err)
		return exitConfig
	}
	return j.resolve(stdout, stderr)
}

// resolve runs the provider once and prints what came back.
func (j *job) resolve(stdout, stderr io.Writer) int {
	red := &redact.Redactor{}
	red.Add(host.SecretEnv(j.provider, j.runner.LookupEnv)...)
	p := j.withVerbose(stderr)

	results, run, err := j.runner.ResolveRun(context.Background(), j.name, p, j.ids)
	for _, res := range results {
		// Even a value the gateway refuses is a value; an object's or an
		// array's string leaves are values too.
		red.Add(host.ValueSecrets(res.Value)...)
	}
	if j.verbose {
		printRun(stderr, run, p, j.runner.LookupEnv)
	}
	if err != nil {
		printFailure(stderr, err, host.Diagnose(err, run, red), j.verbose)
		if run != nil && len(envNames(p, j.runner.LookupEnv)) == 1 {
			fmt.Fprintln(stderr, "  note:   the resolver's environment held only OPENCLAW_CLI=1: no env or passEnv variable reached it")
		}
		return exitProvider
	}
	if run != nil {
		printStderr(stderr, host.StderrExcerpt(run.Stderr, red))
	}
	if j.json {
		err = printJSON(stdout, j.ids, results, j.where, j.reveal, red)
	} else {
		err = printTable(stdout, j.ids, results, j.where, j.reveal, red)
	}
	if err != nil {
		fmt.Fprintf(stderr, "openclaw-resolver-run: %v\n", err)
		return exitProvider
	}
	for _, res := range results {
		if res.Err != nil {
			return exitIDFailed
		}
	}
	return exitOK
}
