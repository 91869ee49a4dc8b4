package sops_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/sops/internal/encrypt"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// The rule this file tests: an id gets a value only when it is provably
// that id's item; otherwise an error. Never another item's value.
//
// The files are built to mislead: keys that are prefixes and suffixes of
// each other; keys holding the id syntax's own separators (':', '.', '#',
// '-', and '/', which no id can reach); default-file keys that read like
// "alias:key"; an alias that is also a top-level key; numeric keys beside
// list indices; several files with the same keys; keys repeated in one
// map. Every value names its own item (file and key path), so a value
// given to the wrong id is seen at once. The built binary runs through
// the host runner, as the gateway runs it, on every id alone and on the
// whole batch in several orders: an answer must not depend on its
// neighbours.

// v is the value of the item at path in file: it contains the item's own
// name.
func v(file, path string) string { return "V(" + file + "|" + path + ")" }

// adversarialFiles are the plaintexts, by alias ("" is the default file).
var adversarialFiles = map[string]struct{ name, format, text string }{
	"": {"secrets.enc.yaml", "yaml", `
token: "` + v("default", "token") + `"
token2: "` + v("default", "token2") + `"
tok: "` + v("default", "tok") + `"
atoken: "` + v("default", "atoken") + `"
a:
  b: "` + v("default", "a/b") + `"
"a/b": "` + v("default", "the key a/b") + `"
"a.b": "` + v("default", "a.b") + `"
"a:b": "` + v("default", "a:b") + `"
"a#b": "` + v("default", "a#b") + `"
"a-b": "` + v("default", "a-b") + `"
"prod:token": "` + v("default", "prod:token") + `"
"prod:only-default": "` + v("default", "prod:only-default") + `"
"prod:list": ["` + v("default", "prod:list/0") + `"]
"staging:token": "` + v("default", "staging:token") + `"
db:
  host: "` + v("default", "db/host") + `"
"db:host": "` + v("default", "db:host") + `"
"a.b:d": "` + v("default", "a.b:d") + `"
list:
` + listOf("default", "list", 11) + `
map:
  "0": "` + v("default", "map/0") + `"
  "1": "` + v("default", "map/1") + `"
  "01": "` + v("default", "map/01") + `"
  "10": "` + v("default", "map/10") + `"
"10": "` + v("default", "10") + `"
"0": "` + v("default", "0") + `"
nested:
  "x/y": "` + v("default", "nested, the key x/y") + `"
  x:
    y: "` + v("default", "nested/x/y") + `"
empty: ""
nul: null
`},
	"prod": {"prod.enc.json", "json", `{"token":"` + v("prod", "token") + `","apiKey":"` + v("prod", "apiKey") + `",` +
		`"only-default":"` + v("prod", "only-default") + `","dup":"` + v("prod", "dup, first") + `","dup":"` + v("prod", "dup, second") + `",` +
		`"a:b":"` + v("prod", "a:b") + `","0":"` + v("prod", "0") + `","list":["` + v("prod", "list/0") + `","` + v("prod", "list/1") + `"],` +
		`"nested":{"token":"` + v("prod", "nested/token") + `"}}`},
	"stage": {"stage.enc.yaml", "yaml", `
token: "` + v("stage", "token") + `"
token2: "` + v("stage", "token2") + `"
"a.b": "` + v("stage", "a.b") + `"
"a:b": "` + v("stage", "a:b") + `"
list: ["` + v("stage", "list/0") + `", "` + v("stage", "list/1") + `"]
db:
  host: "` + v("stage", "db/host") + `"
`},
	"db":  {"db.enc.yaml", "yaml", "host: \"" + v("db", "host") + "\"\n\"db:x\": \"" + v("db", "db:x") + "\"\n"},
	"a.b": {"ab.enc.yaml", "yaml", "c: \"" + v("a.b", "c") + "\"\nd: \"" + v("a.b", "d") + "\"\n"},
	"env": {"app.env", "dotenv", "TOKEN=" + v("env", "TOKEN") + "\nTOKEN2=" + v("env", "TOKEN2") + "\nDUP=" + v("env", "DUP, first") + "\nDUP=" + v("env", "DUP, second") + "\n"},
	"legacy": {"app.ini", "ini", "[s]\nk = " + v("legacy", "s/k") + "\n[s.t]\nk = " + v("legacy", "s.t/k") +
		"\n[dupsec]\na = " + v("legacy", "dupsec/a, first") + "\n[dupsec]\nb = " + v("legacy", "dupsec/b, second") + "\n"},
	"cert": {"cert.bin", "binary", v("cert", "data")},
}

func listOf(file, path string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "  - \"%s\"\n", v(file, fmt.Sprintf("%s/%d", path, i)))
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// expectation is an id's one right answer: a value, or an error code.
type expectation struct {
	value string
	code  protocol.Code
}

func gives(s string) expectation            { return expectation{value: s} }
func failsWith(c protocol.Code) expectation { return expectation{code: c} }

var (
	notFound  = failsWith(protocol.NotFound)
	ambiguous = failsWith(protocol.AmbiguousDuplicateKey)
	invalid   = failsWith(protocol.InvalidValue)
)

func adversarialExpectations() map[string]expectation {
	want := map[string]expectation{
		// Prefixes and suffixes of each other.
		"token": gives(v("default", "token")), "token2": gives(v("default", "token2")),
		"tok": gives(v("default", "tok")), "atoken": gives(v("default", "atoken")),
		"toke": notFound, "tokens": notFound, "Token": notFound,
		// Separators: '/' walks, the others are key characters; the key
		// "a/b" cannot be asked for.
		"a/b": gives(v("default", "a/b")), "a.b": gives(v("default", "a.b")), "a:b": gives(v("default", "a:b")),
		"a#b": gives(v("default", "a#b")), "a-b": gives(v("default", "a-b")),
		"nested/x/y": gives(v("default", "nested/x/y")),
		// Keys that read like alias:key. "staging" and "nope" are no
		// aliases; "prod", "db" and "a.b" are, so an id that reads both
		// ways is refused, whatever either file holds below the key.
		"staging:token": gives(v("default", "staging:token")), "nope:token": notFound,
		"prod:token": ambiguous, "prod:only-default": ambiguous, "db:host": ambiguous, "a.b:d": ambiguous,
		// An alias that is also a top-level key.
		"db/host": gives(v("default", "db/host")), "db:db:x": gives(v("db", "db:x")), "db:": invalid,
		"a.b:c": gives(v("a.b", "c")),
		// Numbers: indices in lists, keys in maps, written one way only.
		"list/01": notFound, "list/11": notFound, "list/-1": notFound,
		"map/0": gives(v("default", "map/0")), "map/1": gives(v("default", "map/1")),
		"map/01": gives(v("default", "map/01")), "map/10": gives(v("default", "map/10")), "map/2": notFound,
		"10": gives(v("default", "10")), "0": gives(v("default", "0")),
		"empty": invalid, "nul": invalid,
		// The same keys in other files.
		"prod:apiKey": gives(v("prod", "apiKey")), "prod:a:b": gives(v("prod", "a:b")), "prod:0": gives(v("prod", "0")),
		"prod:list/0": ambiguous, "prod:list/1": ambiguous, "prod:nested/token": gives(v("prod", "nested/token")),
		"prod:missing": notFound, "prod:dup": ambiguous,
		"stage:token": gives(v("stage", "token")), "stage:token2": gives(v("stage", "token2")),
		"stage:a.b": gives(v("stage", "a.b")), "stage:a:b": gives(v("stage", "a:b")),
		"stage:list/1": gives(v("stage", "list/1")), "stage:db/host": gives(v("stage", "db/host")), "stage:tok": notFound,
		"env:TOKEN": gives(v("env", "TOKEN")), "env:TOKEN2": gives(v("env", "TOKEN2")), "env:token": notFound, "env:DUP": ambiguous,
		"legacy:s/k": gives(v("legacy", "s/k")), "legacy:s.t/k": gives(v("legacy", "s.t/k")), "legacy:dupsec/a": ambiguous,
		// One item asked two ways.
		"cert:": gives(v("cert", "data")), "cert:data": gives(v("cert", "data")),
	}
	for i := range 11 {
		id := fmt.Sprintf("list/%d", i)
		want[id] = gives(v("default", id))
	}
	return want
}

// installAdversarial installs the resolver beside the encrypted files,
// every alias configured, and returns its provider block.
func installAdversarial(t *testing.T) host.Provider {
	t.Helper()
	id, err := encrypt.NewIdentity()
	must(t, err)
	keyFile := filepath.Join(t.TempDir(), "age-key.txt")
	must(t, os.WriteFile(keyFile, id.KeyFile(), 0o600))
	files := map[string][]byte{}
	var args []string
	for _, alias := range slices.Sorted(maps.Keys(adversarialFiles)) {
		f := adversarialFiles[alias]
		files[f.name] = encrypt.MustEncrypt(t, []byte(f.text), f.format, id.Recipient)
		if alias == "" {
			args = append(args, "--file", f.name)
		} else {
			args = append(args, "--file", alias+"="+f.name)
		}
	}
	bin := sdktest.Install(t, sdktest.Cached(t, "./cmd/openclaw-sops-resolver"), files)
	return host.Provider{Source: "exec", Command: bin, Args: args, Env: map[string]string{"SOPS_AGE_KEY_FILE": keyFile}}
}

func TestAdversarialIDsGetTheirOwnItem(t *testing.T) {
	p := installAdversarial(t)
	want := adversarialExpectations()
	ids := slices.Sorted(maps.Keys(want))

	orders := [][]string{ids, reversed(ids)}
	rng := rand.New(rand.NewPCG(9, 9)) // fixed: a failure can be replayed
	for range 4 {
		shuffled := slices.Clone(ids)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		orders = append(orders, shuffled)
	}
	for n, order := range orders {
		res, err := gateway.Resolve(context.Background(), "sops", p, order)
		if err != nil {
			t.Fatalf("order %d: %v", n, err)
		}
		check(t, fmt.Sprintf("order %d", n), want, res)
	}
	// Alone, each id gets the same answer as in company.
	for _, id := range ids {
		res, err := gateway.Resolve(context.Background(), "sops", p, []string{id})
		if err != nil {
			t.Fatalf("%s alone: %v", id, err)
		}
		check(t, "alone", map[string]expectation{id: want[id]}, res)
	}
	// Nothing of any value on stderr, even with --verbose.
	r := run(t, p, ids...)
	if r.ExitCode != 0 || strings.Contains(string(r.Stderr), "V(") {
		t.Errorf("exit %d, stderr holds a value: %s", r.ExitCode, r.Stderr)
	}
}

func reversed(s []string) []string {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}

// check compares every answer with its expectation, byte for byte, and
// makes sure no error carries a value, in its message or beside it.
func check(t *testing.T, run string, want map[string]expectation, res map[string]host.Result) {
	t.Helper()
	for id, w := range want {
		got := res[id]
		var pe *protocol.Error
		switch {
		case w.code == "" && (got.Err != nil || got.Value != w.value):
			t.Errorf("%s: %s: got %v, %q; want %q", run, id, got.Err, got.Value, w.value)
		case w.code != "" && (!errors.As(got.Err, &pe) || pe.Code != w.code || got.Value != nil):
			t.Errorf("%s: %s: got %v, %v; want %s", run, id, got.Err, got.Value, string(w.code))
		case w.code != "" && strings.Contains(pe.Message, "V("):
			t.Errorf("%s: %s: the message holds a value: %s", run, id, pe.Message)
		}
	}
}
