package conformance_test

import (
	"bytes"
	"strings"
	"testing"
)

// A fixture whose ids use neither ':' nor '#' is warned about, once for
// each, in the fixture's warnings, the report and its text; one that uses
// both is not.
func TestFixtureWarnings(t *testing.T) {
	if f, _ := loadFixture(t, "reference.json"); len(f.Warnings()) != 0 {
		t.Errorf("reference.json: %q", f.Warnings())
	}
	target, f := referenceWith(t, "plain.json")
	w := f.Warnings()
	if len(w) != 2 || !strings.Contains(w[0], `contains ":"`) || !strings.Contains(w[1], `contains "#"`) {
		t.Fatalf("plain.json: %q", w)
	}
	report := suite(t, target, f, "^CORE-001$")
	var text bytes.Buffer
	if err := report.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if len(report.Warnings) != 2 || !strings.Contains(text.String(), "warning: fixture: "+w[1]) {
		t.Errorf("report warnings %q; text:\n%s", report.Warnings, text.String())
	}
	// Listing an id the resolver refuses counts too.
	f.Invalid = append(f.Invalid, "ref:x#y")
	if len(f.Warnings()) != 0 {
		t.Errorf("with an invalid id using both: %q", f.Warnings())
	}
}
