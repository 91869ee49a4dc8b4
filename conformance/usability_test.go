package conformance_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/execref/execref/conformance"
)

// A command the gateway refuses is one failure, INSTALL-001, reported
// first; nothing else runs, and each case says why once.
func TestRefusedCommandIsOneFailure(t *testing.T) {
	target, f := reference(t)
	link := filepath.Join(filepath.Dir(target), "via-symlink")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	report := suite(t, link, f, "")
	_, failed, skipped, _ := report.Counts()
	first := report.Results[0]
	if failed != 1 || skipped != len(conformance.Cases())-1 || first.ID != "INSTALL-001" || first.Status != conformance.Fail ||
		!strings.Contains(first.Reason, "must not be a symlink") || !strings.Contains(first.Reason, "install a copy") {
		t.Fatalf("%d failed, %d skipped; first %+v", failed, skipped, first)
	}
	if g := report.Groups(); len(g) != 1 || g[0].Status != conformance.Skip || len(g[0].Cases) != skipped {
		t.Errorf("groups %+v, want one for the %d cases not run", g, skipped)
	}
	// Selecting other cases does not hide the reason.
	report = suite(t, link, f, "^CORE-001$")
	if len(report.Results) != 2 || report.Results[0].ID != "INSTALL-001" || report.Results[1].Status != conformance.Skip || report.OK() {
		t.Errorf("--run ^CORE-001$: %+v, ok %v", report.Results, report.OK())
	}
}

// hanging installs the hang mutant with a short timeoutMs.
func hanging(t *testing.T) (string, *conformance.Fixture) {
	target, f := reference(t, "--mutate", "hang")
	f.Provider.TimeoutMs = 500
	return target, f
}

func statuses(r *conformance.Report) string {
	var out []string
	for _, res := range r.Results {
		out = append(out, res.ID+"="+string(res.Status))
	}
	return strings.Join(out, " ")
}

// After a case times out, the cases that would run the target are not
// sent to it; INSTALL-001, which does not run it, still is.
func TestFailFastAfterTimeout(t *testing.T) {
	target, f := hanging(t)
	report := suite(t, target, f, "^(CORE-001|CORE-002|INSTALL-001)$")
	if got, want := statuses(report), "CORE-001=fail CORE-002=skip INSTALL-001=pass"; got != want {
		t.Fatalf("%s, want %s", got, want)
	}
	if reason := report.Results[1].Reason; !strings.Contains(reason, "CORE-001 timed out") || !strings.Contains(reason, "--no-fail-fast") {
		t.Errorf("reason %q", reason)
	}
}

// An optional case that times out stops nothing: the required cases
// after it decide the verdict.
func TestOptionalTimeoutDoesNotFailFast(t *testing.T) {
	target, f := reference(t, "--mutate", "slow-start")
	f.Provider.TimeoutMs = 500
	report := suite(t, target, f, "^(INPUT-005|OUTPUT-001)$")
	if got, want := statuses(report), "INPUT-005=fail OUTPUT-001=fail"; got != want || report.OK() {
		t.Fatalf("%s, want %s; ok %v", got, want, report.OK())
	}
}

func TestNoFailFast(t *testing.T) {
	target, f := hanging(t)
	opts := conformance.Options{Command: target, Run: regexp.MustCompile("^CORE-00[12]$"), NoFailFast: true}
	report, err := conformance.Suite(context.Background(), f, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := statuses(report), "CORE-001=fail CORE-002=fail"; got != want {
		t.Fatalf("%s, want %s", got, want)
	}
}

// A failed run shows how it ended and what the target said on stderr.
func TestFailedRunsShowExitAndStderr(t *testing.T) {
	target, f := reference(t, "--mutate", "crash-on-underscore")
	reason := suite(t, target, f, "^CORE-011$").Results[0].Reason
	for _, want := range []string{`exited with code 2`, `stderr: "panic: `, `fail a run on their own: "conformance/probe_with_underscores"`} {
		if !strings.Contains(reason, want) {
			t.Errorf("reason lacks %q: %s", want, reason)
		}
	}
	target, f = reference(t, "--mutate", "wrong-version")
	reason = suite(t, target, f, "^CORE-001$").Results[0].Reason
	if !strings.Contains(reason, "exit status 0") || !strings.Contains(reason, "stderr empty") {
		t.Errorf("reason: %s", reason)
	}
}

// One fault that fails many cases is summed up once.
func TestFailuresGroupedByCause(t *testing.T) {
	target, f := reference(t, "--mutate", "wrong-version")
	report := suite(t, target, f, "")
	groups := report.Groups()
	if len(groups) == 0 || !strings.HasPrefix(groups[0].Cause, "protocolVersion is 2, want 1") || len(groups[0].Cases) < 18 {
		t.Fatalf("groups %+v", groups)
	}
	var text bytes.Buffer
	if err := report.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`\n\d+ cases failed: protocolVersion is 2, want 1`).MatchString(text.String()) {
		t.Errorf("no summary line:\n%s", text.String())
	}
}

// Derived ids of 200 characters are shortened; an unanswered id is
// described as the real gateway reports it.
func TestDroppedIDReport(t *testing.T) {
	target, f := reference(t, "--mutate", "drop-id")
	report := suite(t, target, f, "^CORE-00[23]$")
	long, short := report.Results[1].Reason, report.Results[0].Reason
	if strings.Contains(long, strings.Repeat("x", 100)) || !regexp.MustCompile(`…\(\d{3} chars\)`).MatchString(long) {
		t.Errorf("CORE-003: a long id is not shortened: %s", long)
	}
	if !strings.Contains(short, "SECRET_REF_NOT_FOUND") {
		t.Errorf("CORE-002: %s", short)
	}
}
