package conformance

import (
	"context"
	"testing"
)

// Run runs every case as a subtest of t against target, the path of the
// resolver binary as installed (or "" for the fixture's command), like the
// CSI sanity package: a failing required case fails its subtest, a failing
// optional case is logged, a skipped case skips.
func Run(t *testing.T, target string, f *Fixture) {
	t.Helper()
	provider, err := f.provider(target)
	if err != nil {
		t.Fatal(err)
	}
	red := f.redactor()
	for _, tc := range Cases() {
		t.Run(tc.ID, func(t *testing.T) {
			res := runCase(context.Background(), tc, f, provider, red)
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
