package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// env is what every setup gets: where the built programs are, a scratch
// directory for this run, and the run's batch sizes.
type env struct {
	// bin holds the built resolvers (make build's bin/):
	// bin/openclaw-vault-resolver, …
	bin string
	// tools holds the programs the benchmark runs besides ours, built by
	// make bench-compare: execref-bench-floor, fakeop, fakeaws-server,
	// sops and age-keygen (from the module proxy, the versions the sops
	// resolver links), vault-bench.test (the Vault test module's test
	// binary, whose TestBenchServer serves a real Vault).
	tools string
	// node and openclaw are the gateway's Node 24 and the npm prefix
	// holding node_modules/openclaw (scripts/install-openclaw.sh).
	node, openclaw string
	// work is this run's scratch directory, removed at exit.
	work string
	// sizes are the batch sizes, ascending (-ids).
	sizes []int
	// onExit runs, last added first, when the benchmark ends, error or
	// not.
	exits []func()
}

// onExit registers f to run when the benchmark ends.
func (e *env) onExit(f func()) { e.exits = append(e.exits, f) }

func (e *env) close() {
	for _, f := range slices.Backward(e.exits) {
		f()
	}
	e.exits = nil
}

// program is a built program's path, checked to exist.
func (e *env) program(dir, name string) (string, error) {
	p := filepath.Join(dir, name)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%s: %w (make bench-compare builds it)", name, err)
	}
	return p, nil
}

// mkdir makes a fresh directory under the run's scratch directory.
func (e *env) mkdir(name string) (string, error) {
	d := filepath.Join(e.work, name)
	return d, os.MkdirAll(d, 0o700)
}
