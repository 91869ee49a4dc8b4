package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
)

// withVerbose is the provider to run: with --verbose, and a resolver
// built on the SDK, its args start with --verbose, which the gateway
// would not pass. What is done is said on w.
func (j *job) withVerbose(w io.Writer) host.Provider {
	p := j.provider
	if !j.verbose {
		return p
	}
	command := protocol.TrimSpace(p.Command)
	switch {
	case slices.ContainsFunc(p.Args, isVerboseFlag):
		fmt.Fprintln(w, "openclaw-resolver-run: args already pass --verbose")
	case isSDK(command):
		p.Args = append([]string{"--verbose"}, p.Args...)
		fmt.Fprintf(w, "openclaw-resolver-run: passing --verbose to %s (built on the execref SDK); the gateway would not\n", filepath.Base(command))
	default:
		fmt.Fprintf(w, "openclaw-resolver-run: not passing --verbose: %s is not built on the execref SDK and may not know it; its own diagnostics flag, if any, goes in args\n", command)
	}
	return p
}

func isVerboseFlag(a string) bool {
	return a == "--verbose" || a == "-verbose" || strings.HasPrefix(a, "--verbose=") || strings.HasPrefix(a, "-verbose=")
}

// printRun tells how the run went: argv, directory, environment (names
// only), status and duration.
func printRun(w io.Writer, run *host.Run, p host.Provider, lookup func(string) (string, bool)) {
	if run == nil {
		fmt.Fprintln(w, "openclaw-resolver-run: the resolver did not run")
		return
	}
	status := fmt.Sprintf("exit %d", run.ExitCode)
	if run.Signal != "" {
		status = "killed by " + run.Signal
	}
	args := "1 arg"
	if len(p.Args) != 1 {
		args = fmt.Sprintf("%d args", len(p.Args))
	}
	fmt.Fprintf(w, "openclaw-resolver-run: ran %s with %s in %s: %s after %s\n",
		run.Command, args, filepath.Dir(run.Command), status, run.Duration.Round(time.Millisecond))
	fmt.Fprintf(w, "openclaw-resolver-run: its environment (names only): %s\n", strings.Join(envNames(p, lookup), ", "))
}

// envNames are the variables the resolver gets, as the host builds its
// environment: passEnv that is set, env, OPENCLAW_CLI.
func envNames(p host.Provider, lookup func(string) (string, bool)) []string {
	names := []string{"OPENCLAW_CLI"}
	for _, n := range p.PassEnv {
		if _, ok := lookup(n); ok {
			names = append(names, n)
		}
	}
	for n := range p.Env {
		names = append(names, n)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

func isSDK(command string) bool {
	_, ok := host.BuiltWithSDK(command)
	return ok
}
