package conformance

import (
	"slices"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/host"
)

// CORE-014's made-up ids: prefixes, the last segment, a changed last
// character and an extension of each value id; never a listed id or one
// outside the gateway's grammar.
func TestNearProbes(t *testing.T) {
	for id, want := range map[string][]string{
		"openai/api-key": {"openai/api-ke", "openai", "api-key", "openai/a", "openai/api-kex", "openai/api-key/x"},
		"db#password":    {"db#passwor", "db#pa", "db#passworx", "db#password/x"},
		"a":              {"x", "a/x"},
		"ab":             {"a", "ax", "ab/x"},
		"tokenX":         {"token", "tok", "tokeny", "tokenX/x"},
		"v/1":            {"v", "1", "v/x", "v/1/x"},
		"sm:db#n":        {"sm:d", "sm:db#x", "sm:db#n/x"},
		"cert:":          {"cert", "ce", "certx", "cert:/x"},
	} {
		if got := nearIDs(id); !slices.Equal(got, want) {
			t.Errorf("nearIDs(%q) = %q, want %q", id, got, want)
		}
	}

	f := &Fixture{
		Values:   map[string]string{"openai/api-key": "1", "openai/api-ke": "2", "x:a/.b": "3", strings.Repeat("k", 255): "4"},
		NotFound: []string{"openai"},
		Invalid:  []string{"api-key"},
	}
	probes, base := f.nearProbes()
	for _, p := range probes {
		if _, listed := f.Values[p]; listed || p == "openai" || p == "api-key" {
			t.Errorf("probe %q is a fixture id", p)
		}
		if p == "x:a/." || strings.HasSuffix(p, "/x") && len(p) > 256 {
			t.Errorf("probe %q is outside the gateway's grammar", p)
		}
	}
	if base["openai/api-kex"] != "openai/api-key" || base["openai/a"] != "openai/api-ke" {
		t.Errorf("base %q", base)
	}
	if !f.isAncestor("openai") || f.isAncestor("openai/api") {
		t.Error("isAncestor: openai is above openai/api-key, openai/api is not")
	}
}

// A fixture of many values is checked in batches the gateway could send,
// each value id beside the ids made from it.
func TestNearBatches(t *testing.T) {
	f := &Fixture{Values: map[string]string{}, NotFound: []string{"missing"}}
	for i := range 300 {
		f.Values["secret/"+strings.Repeat("s", 180)+"/"+string(rune('a'+i%26))+strings.Repeat("0", i/26+1)] = "v"
	}
	probes, base := f.nearProbes()
	batches := nearBatches(f, probes, base, host.MaxBatchBytes-200)
	seen := 0
	for _, b := range batches {
		size := 0
		for _, id := range b {
			size += len(id) + 3
			if v := base[id]; v != "" && !slices.Contains(b, v) {
				t.Errorf("%q is not beside %q", id, v)
			}
		}
		if len(b) > host.MaxRefsPerProvider || size > host.MaxBatchBytes-200 {
			t.Errorf("a batch of %d ids, %d bytes", len(b), size)
		}
		seen += len(b)
	}
	if len(batches) < 2 || seen != len(probes)+len(f.Values) {
		t.Errorf("%d batches, %d ids, want every one of %d", len(batches), seen, len(probes)+len(f.Values))
	}
}
