package conformance

import (
	"context"
	"testing"
)

// Run runs every case as a subtest of t against target, the path of the
// resolver binary as installed (or "" for the fixture's command), like the
// CSI sanity package: a failing required case fails its subtest, a failing
// optional case is logged, a skipped case skips. A command the gateway's
// policy refuses fails t at once, with the one reason; after a case timed
// out, the later ones skip (see Options.NoFailFast).
func Run(t *testing.T, target string, f *Fixture) {
	t.Helper()
	s, err := newSession(context.Background(), f, Options{Command: target})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range f.Warnings() {
		t.Logf("fixture warning: %s", w)
	}
	if s.refused != nil {
		t.Fatalf("%s: %v", installCaseID, s.refused)
	}
	for _, tc := range Cases() {
		t.Run(tc.ID, func(t *testing.T) {
			res := s.run(tc)
			for _, w := range res.Warnings {
				t.Logf("warning: %s", w)
			}
			switch {
			case res.Status == Skip:
				t.Skip(res.Reason)
			case res.Status == Fail && res.Optional:
				t.Logf("optional case failed: %s: %s", tc.Rationale, res.Reason)
			case res.Status == Fail:
				t.Errorf("%s: %s", tc.Rationale, res.Reason)
			}
		})
	}
}
