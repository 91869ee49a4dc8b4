package conformance_test

import (
	"os"
	"strings"
	"testing"

	"github.com/execref/execref/conformance"
)

// docs/conformance.md has a row for every case, and the reference
// resolver's README one for every mutant the tests use.
func TestDocsListEverything(t *testing.T) {
	docs, err := os.ReadFile("../docs/conformance.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range conformance.Cases() {
		if !strings.Contains(string(docs), "\n| "+c.ID+" | ") {
			t.Errorf("docs/conformance.md has no row for %s", c.ID)
		}
	}
	readme, err := os.ReadFile("testdata/resolver/README.md")
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for m := range mutations {
		names = append(names, m)
	}
	for m := range tolerated {
		names = append(names, m)
	}
	for _, m := range names {
		if !strings.Contains(string(readme), "\n| `"+m+"` | ") {
			t.Errorf("testdata/resolver/README.md has no row for %s", m)
		}
	}
	sdkReadme, err := os.ReadFile("testdata/sdkresolver/README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range sdkMutations {
		if !strings.Contains(string(sdkReadme), "\n| `"+m.name+"` | ") {
			t.Errorf("testdata/sdkresolver/README.md has no row for %s", m.name)
		}
	}
	for _, tr := range conformance.Transports {
		if !strings.Contains(string(docs), "\n| `"+string(tr)+"` | ") {
			t.Errorf("docs/conformance.md has no row for the transport %s", tr)
		}
	}
}
