package main

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/tools/internal/benchcompare"
)

// onePasswordTestEnv builds our 1Password resolver and fakeop and starts
// the 1Password backend for sizes, or skips the test when the gateway
// (EXECREF_NODE, EXECREF_OPENCLAW_PREFIX: scripts/install-openclaw.sh)
// is not installed: the bundled resolver is one side of every pair.
func onePasswordTestEnv(t *testing.T, sizes []int) *backend {
	t.Helper()
	node, openclaw := os.Getenv("EXECREF_NODE"), os.Getenv("EXECREF_OPENCLAW_PREFIX")
	for _, need := range []string{node, openclaw} {
		if _, err := os.Stat(need); need == "" || err != nil {
			t.Skipf("the gateway is not installed (EXECREF_NODE, EXECREF_OPENCLAW_PREFIX): %q", need)
		}
	}
	e := &env{
		bin:      builtDir(t, "resolvers/onepassword/cmd/openclaw-1password-resolver"),
		tools:    builtDir(t, "resolvers/onepassword/internal/fakeop"),
		node:     node,
		openclaw: openclaw,
		work:     t.TempDir(),
		sizes:    sizes,
	}
	t.Cleanup(e.close)
	b, err := setupOnePassword(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// opOf is the op a process runs, and the latency of its account.
func opOf(t *testing.T, p benchcompare.Proc) (op, latency string) {
	t.Helper()
	op = p.Provider.Env["CLAW_1PASSWORD_OP"]
	raw, err := os.ReadFile(filepath.Join(filepath.Dir(op), "fakeop.json"))
	if err != nil {
		t.Fatal(err)
	}
	var data fakeOpData
	if err := json.Unmarshal(raw, &data); err != nil {
		t.Fatal(err)
	}
	return op, data.Latency
}

// At 1, 32 and 64 ids: the cases the bundled resolver takes (up to 32
// ids) and the 300 ms case, each pair's sides on the same op
// (the 300 ms one on an account of its own) with the same environment;
// both sides of every pair answer every id right, and ours answers 64
// too. The 300 ms case's note counts the op calls: one op inject per run
// of ours, an op read per id for the bundled resolver.
func TestOnePasswordBackend(t *testing.T) {
	b := onePasswordTestEnv(t, []int{1, 32, 64})
	var cases []string
	for _, p := range b.pairs {
		cases = append(cases, p.Case)
	}
	if want := []string{"1 id", "32 ids", "32 ids, 300 ms per op call"}; !slices.Equal(cases, want) {
		t.Fatalf("cases %q, want %q", cases, want)
	}
	slow := b.pairs[2]
	if slow.Runs != 5 || len(slow.Targets) != 1 || slow.After == nil {
		t.Errorf("the 300 ms case: %d runs, %d targets, After set %v; want 5, 1 and set", slow.Runs, len(slow.Targets), slow.After != nil)
	}
	fastOp, _ := opOf(t, b.pairs[0].A.Procs[0])
	for _, p := range b.pairs {
		a, bundled := p.A.Procs[0], p.B.Procs[0]
		if !maps.Equal(a.Provider.Env, bundled.Provider.Env) {
			t.Errorf("%s: the sides' environments differ: %v and %v", p.Case, a.Provider.Env, bundled.Provider.Env)
		}
		if string(a.Stdin) != string(bundled.Stdin) {
			t.Errorf("%s: the sides' requests differ", p.Case)
		}
		op, latency := opOf(t, a)
		switch {
		case p.Case == slow.Case && (op == fastOp || latency != "300ms"):
			t.Errorf("%s: op %s with latency %q, want its own op with 300ms", p.Case, op, latency)
		case p.Case != slow.Case && (op != fastOp || latency != ""):
			t.Errorf("%s: op %s with latency %q, want the first case's op and none", p.Case, op, latency)
		}
	}

	for _, p := range b.pairs {
		t.Run(p.Case, func(t *testing.T) {
			r := runOnce(t, p)
			t.Logf("ours %v, bundled %v; note: %s", r.A.Wall.Median, r.B.Wall.Median, r.Note)
			switch p.Case {
			case "1 id":
				if !strings.Contains(r.Note, "no comparison at 64 ids") {
					t.Errorf("note %q does not say why 64 ids are not compared", r.Note)
				}
			case slow.Case:
				// Two runs of each side: the unmeasured one and one.
				if !strings.Contains(r.Note, "2 op inject, 64 op read") {
					t.Errorf("note %q, want 2 op inject and 64 op read", r.Note)
				}
			}
		})
	}

	t.Run("64 ids, ours", func(t *testing.T) {
		ours, want, err := b.ours(64)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) != 64 {
			t.Fatalf("ours(64): %d values", len(want))
		}
		runOnce(t, benchcompare.Pair{Section: "1password", Case: "64 ids", IDs: 64,
			A: benchcompare.Side{Name: "ours", Procs: []benchcompare.Proc{ours}},
			B: benchcompare.Side{Name: "ours again", Procs: []benchcompare.Proc{ours}},
		})
	})

	// The accounts' values differ: ours on the 300 ms account, checked
	// against the other account's values, fails, so a pair cannot pass
	// on the wrong op.
	t.Run("the other account's values fail", func(t *testing.T) {
		p := slow
		p.Runs = 1
		p.A.Procs = slices.Clone(p.A.Procs)
		p.A.Procs[0].Check = b.pairs[1].A.Procs[0].Check
		_, err := benchcompare.Run(context.Background(), p, benchcompare.Options{Runs: 1, MinRuns: 1, Timeout: time.Minute})
		if !errors.Is(err, benchcompare.ErrCheck) {
			t.Fatalf("ours on the 300 ms account, checked against the other account's values: %v, want %v", err, benchcompare.ErrCheck)
		}
	})
}

// At the smoke size (1 id, CI) only the 1-id case runs: no 300 ms case,
// and nothing to say about sizes beyond the bundled resolver's.
func TestOnePasswordSmoke(t *testing.T) {
	b := onePasswordTestEnv(t, []int{1})
	if len(b.pairs) != 1 || b.pairs[0].Case != "1 id" || b.pairs[0].After != nil {
		t.Fatalf("pairs %+v, want the 1-id case alone, without a note", b.pairs)
	}
	if _, _, err := b.ours(33); err == nil {
		t.Error("ours(33): no error; the account holds 32 items")
	}
	v, want, err := b.ours(32)
	if err != nil || len(want) != 32 {
		t.Fatalf("ours(32): %d values, %v", len(want), err)
	}
	for id, value := range want {
		if !strings.Contains(value, id) {
			t.Errorf("%s: its value does not hold the id", id)
		}
	}
	if v.Provider.Args[0] != "--mode" || v.Provider.Args[1] != "cli" {
		t.Errorf("ours runs %q, want --mode cli", v.Provider.Args)
	}
}
