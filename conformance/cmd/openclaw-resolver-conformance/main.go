// Command openclaw-resolver-conformance proves that an exec SecretRef
// resolver behaves as the OpenClaw gateway needs. See --help and
// docs/conformance.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"text/tabwriter"

	"github.com/execref/execref/conformance"
	"github.com/execref/execref/sdk"
)

// Exit statuses.
const (
	exitOK     = 0  // every required case passed
	exitFailed = 1  // a required case failed
	exitUsage  = 64 // bad flags or fixture
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	fixture, junit string
	json, list     bool
	opts           conformance.Options
}

func run(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stdout)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case err != nil:
		fmt.Fprintf(stderr, "openclaw-resolver-conformance: %v\n", err)
		return exitUsage
	case cfg.list:
		listCases(stdout)
		return exitOK
	}
	f, err := conformance.LoadFixture(cfg.fixture)
	if err != nil {
		fmt.Fprintf(stderr, "openclaw-resolver-conformance: %v\n", err)
		return exitUsage
	}
	report, err := conformance.Suite(context.Background(), f, cfg.opts)
	if err != nil {
		fmt.Fprintf(stderr, "openclaw-resolver-conformance: %v\n", err)
		return exitUsage
	}
	if cfg.junit != "" {
		if err := writeFile(cfg.junit, report.WriteJUnit); err != nil {
			fmt.Fprintf(stderr, "openclaw-resolver-conformance: --junit: %v\n", err)
			return exitUsage
		}
	}
	if cfg.json {
		err = report.WriteJSON(stdout)
	} else {
		err = report.WriteText(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "openclaw-resolver-conformance: %v\n", err)
	}
	if !report.OK() {
		return exitFailed
	}
	return exitOK
}

const usage = `openclaw-resolver-conformance: prove that an exec SecretRef resolver, in any
language, behaves as the OpenClaw gateway needs.

It runs the resolver only as the gateway does (command-path policy, empty
environment plus passEnv/env, cwd = the binary's directory, timeoutMs,
noOutputTimeoutMs, maxOutputBytes) and checks every answer against a fixture
that says what the resolver can resolve (docs/conformance.md; schema:
conformance/schema/fixture.schema.json).

Usage:
  openclaw-resolver-conformance --fixture FILE [flags] [RESOLVER]

RESOLVER is the resolver binary as installed; it replaces the fixture's
provider.command. The command is checked against the gateway's command-path
policy first: if the gateway would refuse it, INSTALL-001 says why and no
other case runs.

Flags:
`

func parseFlags(args []string, stdout io.Writer) (config, error) {
	var c config
	var runRE, skipRE string
	fs := flag.NewFlagSet("openclaw-resolver-conformance", flag.ContinueOnError)
	fs.StringVar(&c.fixture, "fixture", "", "the fixture `file` (JSON)")
	fs.BoolVar(&c.json, "json", false, "print the report as JSON instead of text")
	fs.StringVar(&c.junit, "junit", "", "also write the report as JUnit XML to `file`")
	fs.StringVar(&runRE, "run", "", "run only cases whose ID matches `regexp` (e.g. ^CORE-)")
	fs.StringVar(&skipRE, "skip", "", "skip cases whose ID matches `regexp`")
	fs.BoolVar(&c.list, "list", false, "list the cases and exit")
	fs.BoolVar(&c.opts.NoFailFast, "no-fail-fast", false, "keep running cases after one timed out (by default the later cases that would run the resolver are skipped)")
	printUsage := func() {
		fmt.Fprint(stdout, usage)
		sdk.PrintFlags(stdout, fs)
		fmt.Fprint(stdout, "\nExit status: 0 every required case passed, 1 a required case failed, 64 usage or fixture error.\n")
	}
	if err := sdk.ParseFlags(fs, args, printUsage); err != nil {
		return c, err
	}
	var err error
	if c.opts.Run, err = optionalRegexp("--run", runRE); err != nil {
		return c, err
	}
	if c.opts.Skip, err = optionalRegexp("--skip", skipRE); err != nil {
		return c, err
	}
	switch rest := fs.Args(); {
	case c.list:
		return c, nil
	case c.fixture == "":
		return c, errors.New("--fixture is required (see --help)")
	case len(rest) > 1:
		return c, fmt.Errorf("one resolver at a time, got %d", len(rest))
	case len(rest) == 1:
		c.opts.Command = rest[0]
	}
	return c, nil
}

func optionalRegexp(flagName, expr string) (*regexp.Regexp, error) {
	if expr == "" {
		return nil, nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", flagName, err)
	}
	return re, nil
}

func listCases(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range conformance.Cases() {
		kind := "required"
		if c.Optional {
			kind = "optional"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", c.ID, kind, c.Rationale)
	}
	tw.Flush()
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
