package gatewayconfig

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestJSON5DifferentialGateway parses the corpus with the installed
// gateway's json5 and holds ParseJSON5 to it: the same files refused with
// the same messages, equal values, keys in the same order. It also checks
// that testdata/json5/expected.jsonl, which TestJSON5Corpus uses without
// node, is what this json5 says; to regenerate it:
//
//	node testdata/json5_parse.mjs $EXECREF_OPENCLAW_PREFIX testdata/json5/*.json5 > testdata/json5/expected.jsonl
func TestJSON5DifferentialGateway(t *testing.T) {
	g := requireGateway(t)
	files := corpusFiles(t)
	args := append([]string{"testdata/json5_parse.mjs", g.prefix}, files...)
	out, err := g.run(t, ".", nil, args...)
	if err != nil {
		t.Fatal(err)
	}
	fromNode := readOutcomes(t, out)
	if len(fromNode) != len(files) {
		t.Fatalf("node gave %d outcomes for %d files", len(fromNode), len(files))
	}
	checkCorpus(t, fromNode)

	recorded, err := os.ReadFile(filepath.Join(corpusDir, "expected.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(readOutcomes(t, recorded), fromNode) {
		t.Errorf("testdata/json5/expected.jsonl is stale: regenerate it with json5_parse.mjs (see this test's doc)")
	}
}

// TestJSON5UnicodeTablesGateway checks json5_unicode.go, the identifier
// tables generated from json5, against the installed json5.
func TestJSON5UnicodeTablesGateway(t *testing.T) {
	g := requireGateway(t)
	out, err := g.run(t, ".", nil, "testdata/json5_unicode_gen.mjs", g.prefix, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var tables map[string]runeRanges
	if err := json.Unmarshal(out, &tables); err != nil {
		t.Fatal(err)
	}
	for name, ours := range map[string]runeRanges{"idStart": json5IDStart, "idContinue": json5IDContinue, "space": json5SpaceSeparator} {
		if !reflect.DeepEqual(tables[name], ours) {
			t.Errorf("%s: json5_unicode.go differs from the installed json5 (%d ranges there, %d here): regenerate it", name, len(tables[name]), len(ours))
		}
	}
}
