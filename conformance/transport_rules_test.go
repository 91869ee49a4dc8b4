package conformance

import (
	"slices"
	"testing"
)

// Every transport rule names a case and a transport other than exec, and
// gives a reason.
func TestTransportRulesAreCases(t *testing.T) {
	var ids []string
	for _, c := range Cases() {
		ids = append(ids, c.ID)
	}
	for id, rules := range transportRules {
		if !slices.Contains(ids, id) {
			t.Errorf("a transport rule names %s, which is no case", id)
		}
		for tr, why := range rules {
			if tr == Exec || !slices.Contains(Transports, tr) || why == "" {
				t.Errorf("%s: rule %q: %q", id, tr, why)
			}
		}
	}
}
