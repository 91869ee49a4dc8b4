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
	"github.com/execref/execref/sdk/clidoc"
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
	version        bool
	opts           conformance.Options
}

// flagValues are the flags read as text and checked after parsing.
type flagValues struct {
	run, skip, transports string
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "completion" || args[0] == "man") {
		return docCommand(args[0], args[1:], stdout, stderr)
	}
	cfg, err := parseFlags(args, stdout)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case err != nil:
		fmt.Fprintf(stderr, "openclaw-resolver-conformance: %v\n", err)
		return exitUsage
	case cfg.version:
		sdk.PrintVersion(stdout, "openclaw-resolver-conformance")
		return exitOK
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
	if errors.Is(err, conformance.ErrTransport) {
		fmt.Fprintf(stderr, "openclaw-resolver-conformance: --transport %v\n", err)
		return exitUsage
	}
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

// newFlagSet defines the command line's flags; --help, the man page and
// the completions are written from it too (see programDoc).
func newFlagSet(c *config, v *flagValues) *flag.FlagSet {
	fs := flag.NewFlagSet("openclaw-resolver-conformance", flag.ContinueOnError)
	fs.StringVar(&c.fixture, "fixture", "", "the fixture `file` (JSON)")
	fs.BoolVar(&c.json, "json", false, "print the report as JSON instead of text")
	fs.StringVar(&c.junit, "junit", "", "also write the report as JUnit XML to `file`")
	fs.StringVar(&v.run, "run", "", "run only cases whose ID matches `regexp` (e.g. ^CORE-)")
	fs.StringVar(&v.skip, "skip", "", "skip cases whose ID matches `regexp`")
	fs.StringVar(&v.transports, "transport", string(conformance.Exec), "run every case over each of the `transports`, comma-separated: exec (every resolver), plugin and agent (resolvers built on the execref SDK only)")
	fs.BoolVar(&c.list, "list", false, "list the cases and exit")
	fs.BoolVar(&c.version, "version", false, "print the version and exit")
	fs.BoolVar(&c.opts.NoFailFast, "no-fail-fast", false, "keep running cases after one timed out (by default the later cases that would run the resolver are skipped)")
	return fs
}

func parseFlags(args []string, stdout io.Writer) (config, error) {
	var c config
	var v flagValues
	fs := newFlagSet(&c, &v)
	printUsage := func() { clidoc.Help(stdout, programDoc()) }
	if err := sdk.ParseFlags(fs, args, printUsage); err != nil {
		return c, err
	}
	var err error
	if c.opts.Run, err = optionalRegexp("--run", v.run); err != nil {
		return c, err
	}
	if c.opts.Skip, err = optionalRegexp("--skip", v.skip); err != nil {
		return c, err
	}
	if c.opts.Transports, err = conformance.ParseTransports(v.transports); err != nil {
		return c, fmt.Errorf("--transport %v", err)
	}
	switch rest := fs.Args(); {
	case c.list, c.version:
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
