package conformance_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/execref/execref/conformance"
	"github.com/execref/execref/conformance/gateway"
)

// The differential test: the suite must fail every resolver the real
// gateway breaks. Each variant of the third-party corpus (Python, Node and
// POSIX sh resolvers, correct or with one realistic bug; see
// differential_corpus_test.go and testdata/thirdparty/README.md) runs
// through the conformance suite and through the gateway (openclaw's own
// resolution code, run by make e2e-openclaw), and:
//
//   - when the gateway loses, changes or fails a value, or answers a
//     missing id with anything but SECRET_REF_NOT_FOUND, the suite must
//     fail the resolver (a miss fails the test);
//   - when the suite fails a resolver that the gateway serves perfectly,
//     the verdict must be in tpStricter with the exact cases and the reason
//     it is kept; an entry that no longer happens fails too;
//   - the correct resolvers pass both, and harmless quirks pass both;
//   - each variant's bug fires in the gateway exactly when the corpus says
//     it does, so a variant that stopped being buggy is noticed.

// tpStricter lists the suite's deliberate stricter verdicts: the variant,
// the required cases it fails (sorted as the suite runs them), and why the
// suite is right to fail a resolver the gateway accepts.
var tpStricter = []struct {
	variant string
	cases   []string
	reason  string
}{
	{"python/value-on-stderr", []string{"SEC-001"},
		"values on stderr: the gateway discards stderr, but other hosts, wrappers, CI runners and journald log it"},
	{"node/extra-ids", []string{"CORE-001", "CORE-004", "CORE-005", "CORE-006", "CORE-007", "CORE-010", "CORE-011", "CORE-012", "CORE-013",
		"OUTPUT-001", "OUTPUT-002", "OUTPUT-003", "ENV-001"},
		"a resolver must hand over only the secrets asked for: the gateway drops the others, but a host that logs or " +
			"caches the response would hold every secret of the store"},
	{"node/no-id-validation", []string{"CORE-006"},
		"the gateway checks the id grammar before running a resolver, other hosts (and a user running it by hand) do not: " +
			"ids such as ../escape must be refused as INVALID_ID before they reach a backend"},
	{"sh/any-version", []string{"INPUT-003", "INPUT-004"},
		"a request of another protocolVersion must be refused, not guessed at, so that a future gateway can tell " +
			"an old resolver from a new one; the gateway only ever sends 1"},
	{"sh/accepts-garbage", []string{"INPUT-001", "INPUT-002", "INPUT-003", "INPUT-004"},
		"answering an unreadable request with \"no ids\" and exit 0 hides a broken host: it must be refused; " +
			"the gateway always sends a well-formed request"},
}

// tpUsable reports why an interpreter cannot run, or nil.
func tpUsable(path string) error {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return err
	case fi.IsDir() || fi.Mode()&0o111 == 0:
		return fmt.Errorf("%s is not an executable file", path)
	}
	return nil
}

// tpRun is one variant's installation and verdicts.
type tpRun struct {
	v        tpVariant
	command  string
	fixture  *conformance.Fixture
	batches  []string
	report   *conformance.Report
	suiteErr error
	problems []string // what the gateway broke
}

// tpPrepare installs the variants that can run here and makes their
// fixtures and gateway batches.
func tpPrepare(t *testing.T, g *gateway.Gateway, keep func(tpVariant) bool) ([]*tpRun, []tpBatch) {
	t.Helper()
	interpreters := map[string]string{tpPython: tpPythonInterpreter, tpNode: g.Node, tpShell: "/bin/sh"}
	unusable := map[string]bool{}
	for lang, path := range interpreters {
		if err := tpUsable(path); err != nil {
			if os.Getenv(gateway.EnvRequire) == "1" {
				hint := ""
				if lang == tpPython {
					hint = " (on Debian: apt-get install python3)"
				}
				t.Fatalf("the %s resolvers need %s: %v%s", lang, path, err, hint)
			}
			t.Logf("skipping the %s resolvers: %v", lang, err)
			unusable[lang] = true
		}
	}
	var runs []*tpRun
	var batches []tpBatch
	for _, v := range tpVariants {
		if unusable[v.lang] || (keep != nil && !keep(v)) {
			continue
		}
		f := tpFixture(t) // one each: the provider block differs
		f.Provider.Args = v.args()
		if v.timeoutMs > 0 {
			f.Provider.TimeoutMs = v.timeoutMs
		}
		r := &tpRun{v: v, command: tpInstall(t, v.lang, interpreters[v.lang]), fixture: f}
		p := f.Provider
		p.Source, p.Command = "exec", r.command
		for _, b := range tpBatchesFor(v.name(), f, p) {
			batches = append(batches, b)
			r.batches = append(r.batches, b.Name)
		}
		runs = append(runs, r)
	}
	return runs, batches
}

// tpHugeFixture is f with the time INPUT-005 gives a correct resolver to
// refuse its 4 MiB request. The shell resolver can only read it with
// sh's read builtin, one byte per system call from a pipe: a second on
// one machine, 5.6 s on a virtual machine whose system calls cost more,
// past the gateway's default 5 s. That is the shell's speed, not a fault
// of the resolver, and the gateway never sends more than 256 KiB; what the
// case checks (a refusal, no crash, no hang) needs no such limit.
func tpHugeFixture(f *conformance.Fixture) *conformance.Fixture {
	g := *f
	g.Provider.TimeoutMs = 60000
	g.Provider.NoOutputTimeoutMs = 60000
	return &g
}

func TestGatewayDifferential(t *testing.T) {
	g := gateway.Require(t)
	runs, batches := tpPrepare(t, g, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	// The gateway resolves every batch in one node process, three batches
	// at a time, while the suite checks two resolvers at a time.
	type gatewayOut struct {
		results map[string][]tpResult
		err     error
	}
	gw := make(chan gatewayOut, 1)
	go func() {
		results, err := tpRunBatches(ctx, g, batches, 3)
		gw <- gatewayOut{results, err}
	}()
	skipHuge := regexp.MustCompile(`^INPUT-005$`)
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for _, r := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			opts := conformance.Options{Command: r.command}
			if r.v.cases != "" {
				opts.Run = regexp.MustCompile(r.v.cases)
			}
			// INPUT-005 is optional, so it never decides a verdict, and
			// the gateway never sends a request over 256 KiB; it costs
			// seconds per shell run. Only the correct resolvers take it,
			// on their own below.
			opts.Skip = skipHuge
			r.report, r.suiteErr = conformance.Suite(ctx, r.fixture, opts)
			if r.suiteErr != nil || !r.v.correct() {
				return
			}
			huge, err := conformance.Suite(ctx, tpHugeFixture(r.fixture), conformance.Options{Command: r.command, Run: skipHuge})
			if err != nil {
				r.suiteErr = fmt.Errorf("INPUT-005: %w", err)
				return
			}
			r.report.Results = append(r.report.Results, huge.Results...)
		}()
	}
	wg.Wait()
	out := <-gw
	if out.err != nil {
		t.Fatal(out.err)
	}

	stricter := map[string]int{}
	for i, s := range tpStricter {
		stricter[s.variant] = i
	}
	var summary []string
	for _, r := range runs {
		for _, name := range r.batches {
			_, kind, _ := strings.Cut(name, tpBatchSep)
			r.problems = append(r.problems, tpGatewayProblems(r.fixture, kind, out.results[name])...)
		}
		t.Run(r.v.name(), func(t *testing.T) {
			if r.suiteErr != nil {
				t.Fatalf("the suite did not run: %v", r.suiteErr)
			}
			if len(r.report.Results) == 0 {
				t.Fatal("the suite ran no case")
			}
			broke, failed := len(r.problems) > 0, tpFailedCases(r.report)
			suiteFails := !r.report.OK()
			gatewaySays := "serves every value and NOT_FOUND"
			if broke {
				gatewaySays = "breaks it:\n      " + strings.Join(r.problems, "\n      ")
			}
			suiteSays := fmt.Sprintf("passes it (%d cases)", len(r.report.Results))
			if suiteFails {
				suiteSays = "fails " + strings.Join(failed, " ")
			}
			summary = append(summary, fmt.Sprintf("%-42s gateway: %-8s suite: %s", r.v.name(),
				map[bool]string{true: "BREAKS", false: "accepts"}[broke], map[bool]string{true: strings.Join(failed, " "), false: "passes"}[suiteFails]))

			if r.v.breaks != broke {
				t.Errorf("the corpus says the gateway %s this variant (%s), but the gateway %s",
					map[bool]string{true: "breaks", false: "serves"}[r.v.breaks], r.v.what, gatewaySays)
			}
			i, listed := stricter[r.v.name()]
			switch {
			case broke && !suiteFails:
				t.Errorf("MISS: the gateway breaks this resolver (%s) and the suite passes it\n    the gateway %s", r.v.what, gatewaySays)
			case !broke && suiteFails && !listed:
				t.Errorf("unexpected stricter verdict: the gateway serves this resolver (%s), the suite %s; "+
					"add it to tpStricter with the reason it is kept, or fix the suite:%s", r.v.what, suiteSays, tpReasons(r.report))
			case !broke && suiteFails && !slices.Equal(tpStricter[i].cases, failed):
				t.Errorf("stricter verdict changed: tpStricter says the suite fails %v, it fails %v:%s", tpStricter[i].cases, failed, tpReasons(r.report))
			case listed && (broke || !suiteFails):
				t.Errorf("tpStricter lists %s, but that no longer happens: the gateway %s; the suite %s", r.v.name(), gatewaySays, suiteSays)
			}
			if r.v.harmless && listed {
				t.Errorf("a harmless variant cannot be a stricter verdict")
			}
			if r.v.correct() {
				for _, res := range r.report.Results {
					if res.Status == conformance.Fail {
						t.Errorf("the correct resolver fails %s: %s", res.ID, res.Reason)
					}
				}
			}
			t.Logf("%s\n    gateway %s\n    suite %s", r.v.what, gatewaySays, suiteSays)
		})
	}
	t.Logf("variant / gateway / suite:\n%s", strings.Join(summary, "\n"))
}

// The gateway's verdicts above come from gateway-batches.mjs, which calls
// the gateway's settled resolution (every ref's own error) instead of the
// public resolveSecretRefValues (which throws the first), through
// conformance/gateway's resolve.mjs. On the full batch of resolvers whose
// answers do not depend on the batch, both must give every ref the same
// outcome: the same value, or the same code and message. The correct
// resolvers are thereby also checked through the public API.
func TestGatewayDifferentialDriver(t *testing.T) {
	g := gateway.Require(t)
	chosen := []string{"python/correct", "python/trim-values", "node/correct", "node/version-string",
		"node/mask-sensitive", "node/json-decode-values", "sh/correct", "sh/lowercase-code"}
	runs, _ := tpPrepare(t, g, func(v tpVariant) bool { return slices.Contains(chosen, v.name()) })
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)

	var batches []tpBatch
	for _, r := range runs {
		p := r.fixture.Provider
		p.Source, p.Command = "exec", r.command
		batches = append(batches, tpBatchesFor(r.v.name(), r.fixture, p)[0]) // the full batch
	}
	settled, err := tpRunBatches(ctx, g, batches, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range runs {
		t.Run(r.v.name(), func(t *testing.T) {
			t.Parallel()
			b := batches[i]
			problems := tpGatewayProblems(r.fixture, tpBatchFull, settled[b.Name])
			switch {
			case r.v.correct() && len(problems) > 0:
				t.Errorf("the correct resolver: %v", problems)
			case !r.v.correct() && len(problems) == 0:
				t.Errorf("the full batch shows nothing of the bug (%s): the comparison is idle", r.v.what)
			}
			refs := make([]gateway.Ref, len(b.Refs))
			for j, ref := range b.Refs {
				refs[j] = gateway.Ref{Provider: ref.Provider, ID: ref.ID}
			}
			public, err := g.Resolve(ctx, b.Providers, refs, map[string]string{})
			if err != nil {
				t.Fatal(err)
			}
			for j, o := range public {
				s := settled[b.Name][j]
				var value any
				if len(s.Value) > 0 {
					if err := json.Unmarshal(s.Value, &value); err != nil {
						t.Fatal(err)
					}
				}
				same := s.Error == nil && o.Code == "" && reflect.DeepEqual(value, o.Value) ||
					s.Error != nil && s.Error.Code == o.Code && s.Error.Message == o.Message
				if !same {
					got := "resolves it to " + tpDescribe(s.Value, "")
					if s.Error != nil {
						got = fmt.Sprintf("says %s %q", s.Error.Code, s.Error.Message)
					}
					t.Errorf("%s: the public API says %q %q (value: %s), the settled call %s", o.Ref.ID, o.Code, o.Message, tpDescribe(tpRaw(o.Value), ""), got)
				}
			}
		})
	}
}

// tpRaw is v as JSON, for tpDescribe.
func tpRaw(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	raw, _ := json.Marshal(v)
	return raw
}
