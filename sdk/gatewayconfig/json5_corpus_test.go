package gatewayconfig

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The JSON5 corpus: testdata/json5/*.json5, each parsed by the gateway's
// json5 (testdata/json5_parse.mjs) into testdata/json5/expected.jsonl.
// TestJSON5Corpus holds ParseJSON5 to that record without node;
// TestJSON5DifferentialGateway regenerates it with the installed gateway's
// json5 and holds both ParseJSON5 and the record to it.

const corpusDir = "testdata/json5"

// parseOutcome is one line of json5_parse.mjs's output.
type parseOutcome struct {
	File  string `json:"file"`
	Value any    `json:"value"`
	Error string `json:"error"`
}

func corpusFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.json5"))
	if err != nil || len(files) < 40 {
		t.Fatalf("corpus: %d files (%v), want 40 or more", len(files), err)
	}
	sort.Strings(files)
	return files
}

func readOutcomes(t *testing.T, data []byte) map[string]parseOutcome {
	t.Helper()
	out := map[string]parseOutcome{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var o parseOutcome
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber()
		if err := dec.Decode(&o); err != nil {
			t.Fatalf("outcome line %q: %v", sc.Text(), err)
		}
		out[o.File] = o
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkCorpus parses every corpus file with ParseJSON5's ordered core and
// holds it to the outcomes: the same files refused with the same message,
// the same values, keys in the same order.
func checkCorpus(t *testing.T, want map[string]parseOutcome) {
	t.Helper()
	refused := 0
	for _, file := range corpusFiles(t) {
		name := filepath.Base(file)
		w, ok := want[name]
		if !ok {
			t.Errorf("%s: no recorded outcome", name)
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		got, err := parseJSON5(data)
		switch {
		case w.Error != "" && err == nil:
			t.Errorf("%s: json5 refuses it (%s), ParseJSON5 accepted it", name, w.Error)
		case w.Error == "" && err != nil:
			t.Errorf("%s: json5 accepts it, ParseJSON5 refused it: %v", name, err)
		case err != nil && err.Error() != w.Error:
			t.Errorf("%s: error\n got %s\nwant %s", name, err, w.Error)
		case err == nil:
			if diff := compareEncoded("$", w.Value, got); diff != "" {
				t.Errorf("%s: %s", name, diff)
			}
		}
		if strings.HasPrefix(name, "invalid-") != (w.Error != "") {
			t.Errorf("%s: named for the wrong outcome (json5 error: %q)", name, w.Error)
		}
		if w.Error != "" {
			refused++
		}
	}
	if refused == 0 || refused == len(want) {
		t.Errorf("%d of %d files refused: the corpus must hold both kinds", refused, len(want))
	}
}

// compareEncoded compares an encoded json5 result (see json5_parse.mjs)
// with a parsed value; "" when equal, else where and how they differ.
func compareEncoded(path string, want, got any) string {
	if want == nil {
		if got != nil {
			return fmt.Sprintf("%s: got %#v, want null", path, got)
		}
		return ""
	}
	enc, ok := want.(map[string]any)
	if !ok || len(enc) != 1 {
		return fmt.Sprintf("%s: bad encoding %#v", path, want)
	}
	for tag, w := range enc {
		switch tag {
		case "s":
			if g, ok := got.(string); !ok || g != w.(string) {
				return fmt.Sprintf("%s: got %#v, want string %q", path, got, w)
			}
		case "b":
			if g, ok := got.(bool); !ok || g != w.(bool) {
				return fmt.Sprintf("%s: got %#v, want %v", path, got, w)
			}
		case "n":
			g, ok := got.(float64)
			wf, err := jsNumber(w.(string))
			if !ok || err != nil || !sameNumber(g, wf) {
				return fmt.Sprintf("%s: got %#v, want number %s", path, got, w)
			}
		case "a":
			g, ok := got.([]any)
			ws := w.([]any)
			if !ok || len(g) != len(ws) {
				return fmt.Sprintf("%s: got %#v, want an array of %d", path, got, len(ws))
			}
			for i := range ws {
				if d := compareEncoded(fmt.Sprintf("%s[%d]", path, i), ws[i], g[i]); d != "" {
					return d
				}
			}
		case "o":
			g, ok := got.(*object)
			ws := w.([]any)
			if !ok || g.len() != len(ws) {
				return fmt.Sprintf("%s: got %#v, want an object of %d keys", path, got, len(ws))
			}
			keys := g.keys()
			for i, entry := range ws {
				kv := entry.([]any)
				k := kv[0].(string)
				if keys[i] != k {
					return fmt.Sprintf("%s: key %d is %q, want %q (order %q)", path, i, keys[i], k, keys)
				}
				v, _ := g.get(k)
				if d := compareEncoded(path+"."+strconv.Quote(k), kv[1], v); d != "" {
					return d
				}
			}
		default:
			return fmt.Sprintf("%s: bad tag %q", path, tag)
		}
	}
	return ""
}

// jsNumber reads JavaScript's String(number).
func jsNumber(s string) (float64, error) {
	switch s {
	case "Infinity":
		return math.Inf(1), nil
	case "-Infinity":
		return math.Inf(-1), nil
	case "NaN":
		return math.NaN(), nil
	}
	return strconv.ParseFloat(s, 64)
}

// sameNumber is Object.is: NaN equals NaN, 0 and -0 differ.
func sameNumber(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return a == b && math.Signbit(a) == math.Signbit(b)
}

func TestJSON5Corpus(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(corpusDir, "expected.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	want := readOutcomes(t, data)
	if len(want) != len(corpusFiles(t)) {
		t.Errorf("expected.jsonl has %d outcomes for %d files: regenerate it (see TestJSON5DifferentialGateway)", len(want), len(corpusFiles(t)))
	}
	checkCorpus(t, want)
}
