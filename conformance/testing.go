package conformance

import (
	"context"
	"testing"
)

// Run runs every case against target, the path of the resolver binary as
// installed (or "" for the fixture's command), over every transport: one
// subtest per transport (exec, plugin, agent), one per case within it,
// like the CSI sanity package. Plugin and agent are skipped, with the
// reason, for a target not built on the execref SDK. A failing required
// case fails its subtest, a failing optional case is logged, a skipped
// case skips. A command the gateway's policy refuses fails each
// transport at once, with the one reason; after a case timed out, the
// later ones of that transport skip (see Options.NoFailFast).
func Run(t *testing.T, target string, f *Fixture) {
	t.Helper()
	RunOver(t, target, f, Transports...)
}

// RunOver is Run over the given transports only.
func RunOver(t *testing.T, target string, f *Fixture, transports ...Transport) {
	t.Helper()
	if err := f.check(); err != nil {
		t.Fatal(err)
	}
	p, err := f.provider(target)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range f.Warnings() {
		t.Logf("fixture warning: %s", w)
	}
	for _, tr := range transports {
		t.Run(string(tr), func(t *testing.T) {
			s, err := newSession(context.Background(), f, Options{Command: target}, tr)
			if err != nil {
				t.Fatal(err)
			}
			if s.refused != nil {
				t.Fatalf("%s: %v", installCaseID, s.refused)
			}
			if ok, why := speaks(p.Command, tr); !ok {
				t.Skipf("not run over %s: %s", tr, why)
			}
			t.Cleanup(s.close)
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
		})
	}
}
