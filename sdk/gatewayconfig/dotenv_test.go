package gatewayconfig

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// The .env corpus: testdata/dotenv/*.env, parsed by the gateway's dotenv
// (testdata/dotenv_parse.mjs) into testdata/dotenv/expected.jsonl.

type dotEnvOutcome struct {
	File    string     `json:"file"`
	Entries [][]string `json:"entries"`
}

func readDotEnvOutcomes(t *testing.T, data []byte) map[string][][]string {
	t.Helper()
	out := map[string][][]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		var o dotEnvOutcome
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			t.Fatalf("%q: %v", sc.Text(), err)
		}
		if o.Entries == nil {
			o.Entries = [][]string{}
		}
		out[o.File] = o.Entries
	}
	return out
}

func dotEnvFiles(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob("testdata/dotenv/*.env")
	if len(files) < 10 {
		t.Fatalf("dotenv corpus: %d files", len(files))
	}
	sort.Strings(files)
	return files
}

func checkDotEnvCorpus(t *testing.T, want map[string][][]string) {
	t.Helper()
	for _, f := range dotEnvFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got := [][]string{}
		for _, e := range parseDotEnv(data) {
			got = append(got, []string{e.key, e.value})
		}
		w, ok := want[filepath.Base(f)]
		if !ok || !reflect.DeepEqual(got, w) {
			t.Errorf("%s:\n got %q\nwant %q", filepath.Base(f), got, w)
		}
	}
}

func TestDotEnvCorpus(t *testing.T) {
	data, err := os.ReadFile("testdata/dotenv/expected.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	checkDotEnvCorpus(t, readDotEnvOutcomes(t, data))
}

// TestDotEnvDifferentialGateway holds parseDotEnv to the dotenv package
// installed with the gateway, and the recorded expected.jsonl to it
// (regenerate: node testdata/dotenv_parse.mjs $EXECREF_OPENCLAW_PREFIX
// testdata/dotenv/*.env > testdata/dotenv/expected.jsonl).
func TestDotEnvDifferentialGateway(t *testing.T) {
	g := requireGateway(t)
	out, err := g.run(t, ".", nil, append([]string{"testdata/dotenv_parse.mjs", g.prefix}, dotEnvFiles(t)...)...)
	if err != nil {
		t.Fatal(err)
	}
	fromNode := readDotEnvOutcomes(t, out)
	checkDotEnvCorpus(t, fromNode)
	recorded, _ := os.ReadFile("testdata/dotenv/expected.jsonl")
	if !reflect.DeepEqual(readDotEnvOutcomes(t, recorded), fromNode) {
		t.Error("testdata/dotenv/expected.jsonl is stale: regenerate it (see this test's doc)")
	}
}

func TestReadDotEnvSkips(t *testing.T) {
	dir := t.TempDir()
	if _, err := readDotEnv(filepath.Join(dir, "none")); err != errDotEnvSkipped {
		t.Errorf("missing: %v", err)
	}
	if _, err := readDotEnv(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("directory: %v", err)
	}
	big := filepath.Join(dir, "big.env")
	if err := os.WriteFile(big, bytes.Repeat([]byte("A=1\n"), maxDotEnvBytes/4+1), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := readDotEnv(big); err == nil || !strings.Contains(err.Error(), "larger than 1048576 bytes") {
		t.Errorf("big: %v", err)
	}
	link := filepath.Join(dir, "link.env")
	if err := os.WriteFile(filepath.Join(dir, "real.env"), []byte("L=1"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.env", link); err != nil {
		t.Fatal(err)
	}
	if got, err := readDotEnv(link); err != nil || len(got) != 1 || got[0].value != "1" {
		t.Errorf("a symlink is followed: %v, %v", got, err)
	}
}
