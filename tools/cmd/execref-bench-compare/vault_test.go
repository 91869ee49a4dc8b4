package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/tools/internal/benchcompare"
)

func TestVaultLayout(t *testing.T) {
	for _, c := range []struct {
		n, paths int
		name     string
	}{{1, 1, "1 id"}, {8, 1, "8 ids over 1 path"}, {9, 2, "9 ids over 2 paths"}, {64, 8, "64 ids over 8 paths"}, {512, 64, "512 ids over 64 paths"}} {
		items := packedItems(c.n)
		if got := pathsOf(items); got != c.paths {
			t.Errorf("%d ids: %d paths, want %d", c.n, got, c.paths)
		}
		if got := vaultCase(c.n, pathsOf(items)); got != c.name {
			t.Errorf("%d ids: case %q, want %q", c.n, got, c.name)
		}
	}
	spread := spreadItems(512)
	if got := vaultCase(len(spread), pathsOf(spread)); got != "512 ids over 512 paths" {
		t.Errorf("spread: case %q", got)
	}
	// The two sets share no path: a spread id must never be answered
	// from a packed secret.
	if pathsOf(slices.Concat(packedItems(512), spread)) != 64+512 {
		t.Errorf("packed and spread paths overlap")
	}
}

// Every id of both syntaxes names one item, and every value names its
// own item: an answer for another id cannot pass the check.
func TestVaultValuesNameTheirItem(t *testing.T) {
	items := slices.Concat(packedItems(512), spreadItems(512))
	for _, syntax := range []func(vaultItem) string{vaultItem.oursID, vaultItem.bundledID} {
		ids, want := vaultBatch(items, "n0nce", syntax)
		if len(want) != len(items) {
			t.Fatalf("%d distinct ids for %d items", len(want), len(items))
		}
		values := map[string]bool{}
		for i, id := range ids {
			v := want[id]
			if values[v] {
				t.Fatalf("value %q given twice", v)
			}
			values[v] = true
			if !strings.Contains(v, items[i].path+"#"+items[i].field+"-") || !strings.HasSuffix(v, "-n0nce") {
				t.Errorf("%s: value %q does not name its item and nonce", id, v)
			}
		}
	}
	if got := (vaultItem{"bench/p3", "f5"}).oursID(); got != "secret/bench/p3#f5" {
		t.Errorf("ours: %q", got)
	}
	if got := (vaultItem{"bench/p3", "f5"}).bundledID(); got != "bench/p3/f5" {
		t.Errorf("bundled: %q", got)
	}
	if got := (vaultItem{"bench/p3", "f5"}).value("x"); got != "vault-secret/bench/p3#f5-x" {
		t.Errorf("value: %q", got)
	}
}

func TestVaultTargets(t *testing.T) {
	r := benchcompare.Result{}
	r.A.Wall.Median, r.B.Wall.Median = 10*time.Millisecond, 160*time.Millisecond
	r.A.PeakRSS.Median, r.B.PeakRSS.Median = 12<<20, 60<<20
	for _, c := range []struct {
		target benchcompare.Target
		name   string
		figure string
		met    bool
	}{
		{fasterThanBundled(15), "≥ 15× faster than the bundled resolver", "16.0×", true},
		{lessMemoryThanBundled(6), "≥ 6× less memory", "5.0×", false},
		{atMost(100 * time.Millisecond), "≤ 100 ms", "10.0 ms", true},
		{atMost(5 * time.Millisecond), "≤ 5 ms", "10.0 ms", false},
	} {
		figure, met := c.target.Eval(r)
		if c.target.Name != c.name || figure != c.figure || met != c.met {
			t.Errorf("%q: %q %v, want %q: %q %v", c.target.Name, figure, met, c.name, c.figure, c.met)
		}
	}
	if figure, met := fasterThanBundled(15).Eval(benchcompare.Result{}); met || figure != "no figure" {
		t.Errorf("no runs: %q %v, want not met", figure, met)
	}
}

func TestFirstLineWriter(t *testing.T) {
	w := &firstLineWriter{line: make(chan []byte, 1)}
	for _, s := range []string{`{"addr":`, `"x"}` + "\nPASS\n", "more\n"} {
		if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write: %d, %v", n, err)
		}
	}
	if got := string(<-w.line); got != `{"addr":"x"}` {
		t.Errorf("first line %q", got)
	}
	select {
	case l := <-w.line:
		t.Errorf("a second line %q", l)
	default:
	}
}

func TestTailWriter(t *testing.T) {
	w := &tailWriter{max: 8}
	if got := w.String(); got != "(empty)" {
		t.Errorf("empty: %q", got)
	}
	fmt.Fprint(w, "0123456789")
	fmt.Fprint(w, "abc")
	if got := w.String(); got != "56789abc" {
		t.Errorf("tail %q, want the last 8 bytes", got)
	}
}

// TestSetupVault starts the real Vault (vault-bench.test, from
// $EXECREF_BENCH_TOOLS) and runs every pair of setupVault once through
// benchcompare.Run, which checks every answer in full: ours and the
// bundled Node resolver must each answer every id of 1, 64 and 512 ids,
// and 512 ids over 512 paths. Skipped unless the test binary, our built
// resolver (make build) and the gateway (EXECREF_NODE,
// EXECREF_OPENCLAW_PREFIX) are there.
func TestSetupVault(t *testing.T) {
	e := vaultTestEnv(t, []int{1, 64, 512})
	b, err := setupVault(e)
	if err != nil {
		t.Fatal(err)
	}
	var cases []string
	for _, p := range b.pairs {
		cases = append(cases, p.Case)
	}
	want := []string{"1 id", "64 ids over 8 paths", "512 ids over 64 paths", "512 ids over 512 paths"}
	if !slices.Equal(cases, want) {
		t.Fatalf("cases %q, want %q", cases, want)
	}
	if n := len(b.pairs[3].Targets); n != 3 {
		t.Errorf("512 ids over 512 paths: %d targets, want 3", n)
	}
	if _, _, err := b.ours(513); err == nil {
		t.Errorf("ours(513): no error; Vault holds 512 items")
	}

	ctx := context.Background()
	opts := benchcompare.Options{Runs: 1, MinRuns: 1, Timeout: time.Minute}
	for _, p := range b.pairs {
		t.Run(p.Case, func(t *testing.T) {
			p.Runs = 1
			r, err := benchcompare.Run(ctx, p, opts)
			if err != nil {
				t.Fatal(err)
			}
			if r.A.Runs != 1 || r.B.Runs != 1 {
				t.Errorf("runs: A %d, B %d, want 1 each", r.A.Runs, r.B.Runs)
			}
			for _, tr := range r.Targets {
				t.Logf("%s: %s (met: %v)", tr.Name, tr.Figure, tr.Met)
			}
			t.Logf("ours %v %d KiB, bundled %v %d KiB", r.A.Wall.Median, r.A.PeakRSS.Median>>10, r.B.Wall.Median, r.B.PeakRSS.Median>>10)
		})
	}

	// The check is live: the bundled resolver's answer, checked against
	// our ids' values, fails.
	t.Run("wrong want fails", func(t *testing.T) {
		ours, _, err := b.ours(1)
		if err != nil {
			t.Fatal(err)
		}
		p := b.pairs[0]
		p.Runs = 1
		p.B.Procs[0].Check = ours.Check
		if _, err := benchcompare.Run(ctx, p, opts); err == nil {
			t.Fatal("the bundled resolver's answer passed the check of our ids")
		}
	})
}

// vaultTestEnv is the env of a run with sizes, or skips the test when
// something it needs is not built or installed.
func vaultTestEnv(t *testing.T, sizes []int) *env {
	t.Helper()
	tools := os.Getenv("EXECREF_BENCH_TOOLS")
	if tools == "" {
		t.Skip("EXECREF_BENCH_TOOLS is unset: no vault-bench.test to run")
	}
	bin, err := filepath.Abs(filepath.Join("..", "..", "..", "bin"))
	if err != nil {
		t.Fatal(err)
	}
	node, openclaw := os.Getenv("EXECREF_NODE"), os.Getenv("EXECREF_OPENCLAW_PREFIX")
	for _, need := range []string{filepath.Join(tools, "vault-bench.test"), filepath.Join(bin, "openclaw-vault-resolver"), node, openclaw} {
		if _, err := os.Stat(need); need == "" || err != nil {
			t.Skipf("not built or installed: %q (make build, EXECREF_NODE, EXECREF_OPENCLAW_PREFIX)", need)
		}
	}
	e := &env{bin: bin, tools: tools, node: node, openclaw: openclaw, work: t.TempDir(), sizes: sizes}
	t.Cleanup(e.close)
	return e
}
