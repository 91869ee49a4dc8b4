package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/tools/internal/benchcompare"
)

// pairs are every wanted comparison, in report order: each backend's own,
// then every resolver against the floor, then four resolvers at once,
// then the agent against a cold run.
func (c *config) pairs(ctx context.Context, backends []*backend) ([]benchcompare.Pair, error) {
	var out []benchcompare.Pair
	for _, b := range backends {
		out = append(out, b.pairs...)
	}
	if c.wants("floor") {
		for _, b := range backends {
			for _, n := range c.env.sizes {
				p, err := c.floorPair(b, n)
				if err != nil {
					return nil, err
				}
				out = append(out, p)
			}
		}
	}
	if c.wants("together") && len(backends) > 1 {
		for _, n := range c.env.sizes {
			p, err := c.togetherPair(backends, n)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
	}
	if c.wants("agent") {
		for _, b := range backends {
			ps, err := c.agentPairs(ctx, b)
			if err != nil {
				return nil, err
			}
			out = append(out, ps...)
		}
	}
	return out, nil
}

// floor is the floor program's run answering want for the same request:
// the least any exec resolver can cost (a Go process that reads its
// stdin and writes a fixed answer).
func (c *config) floor(p benchcompare.Proc, want map[string]string) (benchcompare.Proc, error) {
	floor, err := c.env.program(c.env.tools, "execref-bench-floor")
	if err != nil {
		return benchcompare.Proc{}, err
	}
	return benchcompare.Proc{
		Provider: host.Provider{Source: "exec", Command: floor, Args: []string{string(benchcompare.Response(want))}},
		Stdin:    p.Stdin,
		Check:    benchcompare.CheckValues(want),
	}, nil
}

func idsCase(n int) string {
	if n == 1 {
		return "1 id"
	}
	return fmt.Sprintf("%d ids", n)
}

const floorSection = "Every resolver against the floor"

func (c *config) floorPair(b *backend, n int) (benchcompare.Pair, error) {
	ours, want, err := b.ours(n)
	if err != nil {
		return benchcompare.Pair{}, fmt.Errorf("%s: %w", b.name, err)
	}
	floor, err := c.floor(ours, want)
	if err != nil {
		return benchcompare.Pair{}, err
	}
	p := benchcompare.Pair{
		Section: floorSection,
		Case:    idsCase(n),
		IDs:     n,
		A:       benchcompare.Side{Name: filepath.Base(ours.Provider.Command), Procs: []benchcompare.Proc{ours}},
		B:       benchcompare.Side{Name: "floor", Procs: []benchcompare.Proc{floor}},
	}
	if n == 1 && (b.name == "vault" || b.name == "aws") {
		p.Targets = append(p.Targets, atMostTimes(2.5, "the floor"))
	}
	return p, nil
}

// togetherPair starts one batch of each resolver at once, as the gateway
// resolves four providers at a time (maxProviderConcurrency 4), against
// as many floors at once.
func (c *config) togetherPair(backends []*backend, n int) (benchcompare.Pair, error) {
	var ours, floors []benchcompare.Proc
	name := ""
	for _, b := range backends {
		p, want, err := b.ours(n)
		if err != nil {
			return benchcompare.Pair{}, fmt.Errorf("%s: %w", b.name, err)
		}
		f, err := c.floor(p, want)
		if err != nil {
			return benchcompare.Pair{}, err
		}
		ours, floors = append(ours, p), append(floors, f)
		if name != "" {
			name += " + "
		}
		name += b.name
	}
	return benchcompare.Pair{
		Section: "Four resolvers at once",
		Case:    idsCase(n) + " each",
		IDs:     n,
		A:       benchcompare.Side{Name: name, Procs: ours, Parallel: 4},
		B:       benchcompare.Side{Name: fmt.Sprintf("%d floors", len(floors)), Procs: floors, Parallel: 4},
	}, nil
}
