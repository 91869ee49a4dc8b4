package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/execref/execref/tools/internal/benchcompare"
)

// config is the command line.
type config struct {
	env      env
	only     []string
	opts     benchcompare.Options
	docs     string
	jsonPath string
	command  string // the make command line that produced the figures, for the report
}

func parse(args []string) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("execref-bench-compare", flag.ContinueOnError)
	fs.StringVar(&c.env.bin, "bin", "bin", "directory of the built resolvers (make build)")
	fs.StringVar(&c.env.tools, "tools", "", "directory of the programs make bench-compare builds besides ours")
	fs.StringVar(&c.env.node, "node", os.Getenv("EXECREF_NODE"), "the gateway's Node 24 (scripts/install-openclaw.sh)")
	fs.StringVar(&c.env.openclaw, "openclaw", os.Getenv("EXECREF_OPENCLAW_PREFIX"), "npm prefix holding node_modules/openclaw")
	ids := fs.String("ids", "1,64,512", "batch sizes, comma-separated (1 to 512)")
	only := fs.String("only", "", "comma-separated sections to run (default all): "+strings.Join(sectionNames(), ","))
	fs.IntVar(&c.opts.Runs, "runs", 10, "measured runs of each side per pair")
	fs.DurationVar(&c.opts.MaxTime, "max-time", 30*time.Second, "a pair stops measuring after this long (at least 3 runs each)")
	fs.StringVar(&c.docs, "docs", "", "write the tables into this file, between its bench-compare markers")
	fs.StringVar(&c.jsonPath, "json", "", "write every result as JSON to this file")
	fs.StringVar(&c.command, "command", "", "the command line to print in the report (make passes its own)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.env.tools == "" {
		return nil, fmt.Errorf("-tools is required (make bench-compare sets it)")
	}
	var err error
	if c.env.sizes, err = parseSizes(*ids); err != nil {
		return nil, err
	}
	if *only != "" {
		c.only = strings.Split(*only, ",")
		for _, s := range c.only {
			if !slices.Contains(sectionNames(), s) {
				return nil, fmt.Errorf("-only: no section %q (have %s)", s, strings.Join(sectionNames(), ", "))
			}
		}
	}
	c.opts.MinRuns = 3
	c.opts.Progress = os.Stderr
	return c, nil
}

// parseSizes reads -ids: distinct sizes from 1 to the gateway's 512 refs
// per provider, returned ascending.
func parseSizes(s string) ([]int, error) {
	var sizes []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 512 {
			return nil, fmt.Errorf("-ids: %q is not a batch size from 1 to 512", f)
		}
		if !slices.Contains(sizes, n) {
			sizes = append(sizes, n)
		}
	}
	slices.Sort(sizes)
	return sizes, nil
}

// sectionNames are what -only takes: each backend, and the comparisons
// main builds across them.
func sectionNames() []string {
	names := []string{}
	for _, s := range setups {
		names = append(names, s.name)
	}
	return append(names, "floor", "agent", "together")
}

func (c *config) wants(section string) bool {
	return len(c.only) == 0 || slices.Contains(c.only, section)
}

func run(ctx context.Context, args []string) error {
	c, err := parse(args)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "execref-bench-compare-")
	if err != nil {
		return err
	}
	c.env.work = work
	c.env.onExit(func() { os.RemoveAll(work) })
	defer c.env.close()

	machine := describeMachine()
	backends, err := c.startBackends()
	if err != nil {
		return err
	}
	pairs, err := c.pairs(ctx, backends)
	if err != nil {
		return err
	}
	var results []benchcompare.Result
	for _, p := range pairs {
		r, err := benchcompare.Run(ctx, p, c.opts)
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	machine.finish()
	return c.report(machine, results)
}

// startBackends starts every backend a wanted section needs: its own,
// and all of them for floor, agent and together.
func (c *config) startBackends() ([]*backend, error) {
	var out []*backend
	all := c.wants("floor") || c.wants("agent") || c.wants("together")
	for _, s := range setups {
		if !all && !c.wants(s.name) {
			continue
		}
		b, err := s.setup(&c.env)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		if !c.wants(s.name) {
			b.pairs = nil
		}
		out = append(out, b)
	}
	return out, nil
}
