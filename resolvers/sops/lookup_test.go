package sops

import (
	"errors"
	"math"
	"testing"

	gosops "github.com/getsops/sops/v3"

	"github.com/execref/execref/protocol"
)

// A key a map holds twice names two items: the id gets
// AMBIGUOUS_DUPLICATE_KEY, never the first or the last of them. sops
// keeps repeated keys of JSON and dotenv files and repeated INI sections
// (YAML refuses them when it parses).
func TestDuplicateKeysAreAmbiguous(t *testing.T) {
	cases := []struct {
		format, text string
		ambiguous    []string
		values       map[string]string
	}{
		{"json", `{"dup":"first","dup":"second","ok":"v","in":{"d":"1","d":"2","e":"3"}}`,
			[]string{"dup", "in/d"}, map[string]string{"ok": "v", "in/e": "3"}},
		{"dotenv", "DUP=first\nOK=v\nDUP=second\n", []string{"DUP"}, map[string]string{"OK": "v"}},
		{"ini", "[s]\nk = 1\n[t]\nk = 2\n[s]\nz = 3\n", []string{"s/k", "s/z"}, map[string]string{"t/k": "2"}},
	}
	r := &Resolver{}
	for _, c := range cases {
		doc := plainTree(t, c.format, c.text)
		f := file{format: c.format}
		for _, id := range c.ambiguous {
			if v, err := r.selectValue(doc, f, splitPath(id)); !errors.Is(err, protocol.AmbiguousDuplicateKey) {
				t.Errorf("%s %s: %q, %v; want AMBIGUOUS_DUPLICATE_KEY", c.format, id, v, err)
			}
		}
		for id, want := range c.values {
			if v, err := r.selectValue(doc, f, splitPath(id)); err != nil || v != want {
				t.Errorf("%s %s: %q, %v; want %q", c.format, id, v, err, want)
			}
		}
	}
	// As JSON text, a map holding a key twice would lose one of them.
	r.jsonValues = true
	doc := plainTree(t, "json", `{"in":{"d":"1","d":"2"},"list":[{"a":"x","a":"y"}],"fine":{"a":"x"}}`)
	for _, id := range []string{"in", "list", ""} {
		if v, err := r.selectValue(doc, file{format: "json"}, splitPath(id)); !errors.Is(err, protocol.AmbiguousDuplicateKey) {
			t.Errorf("--json %q: %q, %v; want AMBIGUOUS_DUPLICATE_KEY", id, v, err)
		}
	}
	if v, err := r.selectValue(doc, file{format: "json"}, []string{"fine"}); err != nil || v != `{"a":"x"}` {
		t.Errorf("--json fine: %q, %v", v, err)
	}
}

// A segment names a key only when it is that key, byte for byte: not a
// prefix or suffix of it, not the same text split differently by the id
// syntax's separators, not a number written another way.
func TestKeysMatchExactly(t *testing.T) {
	doc := plainTree(t, "json", `{
		"token":"v-token","token2":"v-token2","tok":"v-tok","atoken":"v-atoken",
		"a":{"b":"v-a/b"},"a.b":"v-a.b","a:b":"v-a:b","a#b":"v-a#b","a-b":"v-a-b","a/b":"v-key-a/b",
		"list":["v-list/0","v-list/1"],"map":{"0":"v-map/0","01":"v-map/01"},"10":"v-10"}`)
	r := &Resolver{}
	want := map[string]string{
		"token": "v-token", "token2": "v-token2", "tok": "v-tok", "atoken": "v-atoken",
		"a/b": "v-a/b", "a.b": "v-a.b", "a:b": "v-a:b", "a#b": "v-a#b", "a-b": "v-a-b",
		"list/0": "v-list/0", "list/1": "v-list/1", "map/0": "v-map/0", "map/01": "v-map/01", "10": "v-10",
	}
	for id, v := range want {
		if got, err := r.selectValue(doc, file{format: "json"}, splitPath(id)); err != nil || got != v {
			t.Errorf("%s: %q, %v; want %q", id, got, err, v)
		}
	}
	for _, id := range []string{"toke", "token3", "Token", "a.b/c", "list/01", "list/-0", "list/2", "map/1", "map/00", "a/b/c", "b"} {
		if got, err := r.selectValue(doc, file{format: "json"}, splitPath(id)); !errors.Is(err, protocol.NotFound) {
			t.Errorf("%s: %q, %v; want NOT_FOUND", id, got, err)
		}
	}
	// sops refuses keys that are not strings; were one to reach the
	// resolver, its text would not stand for it.
	odd := gosops.TreeBranches{gosops.TreeBranch{{Key: 1, Value: "int key"}, {Key: true, Value: "bool key"}, {Key: 1.0, Value: "float key"}}}
	for _, id := range []string{"1", "true", "1.0"} {
		if got, err := r.selectValue(odd, file{format: "yaml"}, []string{id}); !errors.Is(err, protocol.NotFound) {
			t.Errorf("non-string key %s: %q, %v; want NOT_FOUND", id, got, err)
		}
	}
}

// JSON has no text for an infinite number; --json says so rather than
// writing null in its place.
func TestJSONRefusesWhatItCannotWrite(t *testing.T) {
	r := &Resolver{jsonValues: true}
	doc := gosops.TreeBranches{gosops.TreeBranch{{Key: "m", Value: gosops.TreeBranch{{Key: "x", Value: math.Inf(1)}}}}}
	if got, err := r.selectValue(doc, file{format: "yaml"}, []string{"m"}); !errors.Is(err, protocol.InvalidValue) {
		t.Errorf("%q, %v; want INVALID_VALUE", got, err)
	}
}

// An id that starts with a configured alias also reads, whole, as a path
// in the default file: parseID records the top-level key that path would
// start with, so that Resolve can refuse the id when the default file has
// that key.
func TestParseIDShadow(t *testing.T) {
	withDefault := map[string]file{"": {}, "prod": {alias: "prod"}}
	cases := []struct {
		id     string
		files  map[string]file
		shadow string
	}{
		{"prod:a/b", withDefault, "prod:a"},
		{"prod:", withDefault, "prod:"},
		{"prod:a:b", withDefault, "prod:a:b"},
		{"other:a", withDefault, ""},
		{"a/b", withDefault, ""},
		{"prod:a/b", map[string]file{"prod": {alias: "prod"}}, ""},
	}
	for _, c := range cases {
		r, err := parseID(c.id, c.files)
		if err != nil || r.shadow != c.shadow {
			t.Errorf("%q: shadow %q, %v; want %q", c.id, r.shadow, err, c.shadow)
		}
	}
}
