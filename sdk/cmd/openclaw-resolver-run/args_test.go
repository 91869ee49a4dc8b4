package main

import (
	"io"
	"os"
	"slices"
	"strings"
	"testing"
)

// Flags are taken wherever they stand among the ids; after "--" every
// argument is an id, but "--" as a flag's value is a value.
func TestFlagsAfterIDs(t *testing.T) {
	cases := []struct {
		args    []string
		name    string
		timeout int
		pargs   []string
		ids     []string
	}{
		{[]string{"--provider", "x", "--command", "/p", "a/b", "--timeout-ms", "100"}, "x", 100, nil, []string{"a/b"}},
		{[]string{"--command", "/p", "a/b", "--provider", "x"}, "x", 0, nil, []string{"a/b"}},
		{[]string{"a", "--command=/p", "b", "--arg", "--file", "c", "--arg=x.json", "d"}, "default", 0, []string{"--file", "x.json"}, []string{"a", "b", "c", "d"}},
		{[]string{"--command", "/p", "--", "a", "--provider", "x"}, "default", 0, nil, []string{"a", "--provider", "x"}},
		{[]string{"--command", "/p", "--arg", "--", "a", "--provider", "x"}, "x", 0, []string{"--"}, []string{"a"}},
		{[]string{"--reveal", "a", "--json", "--command", "/p"}, "default", 0, nil, []string{"a"}},
	}
	for _, c := range cases {
		o, err := parseFlags(c.args, io.Discard)
		if err != nil {
			t.Errorf("%q: %v", c.args, err)
			continue
		}
		if o.name != c.name || o.provider.TimeoutMs != c.timeout || !slices.Equal(o.provider.Args, c.pargs) || !slices.Equal(o.ids, c.ids) {
			t.Errorf("%q: provider %q timeout %d args %q ids %q; want %q %d %q %q", c.args, o.name, o.provider.TimeoutMs, o.provider.Args, o.ids, c.name, c.timeout, c.pargs, c.ids)
		}
	}
}

// --config takes an optional file: --config=FILE always, --config FILE
// when FILE cannot be an id or is an existing *.json(5) file.
func TestConfigFlagForms(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("openclaw.json", []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		path string
		ids  []string
	}{
		{[]string{"--config"}, "", nil},
		{[]string{"--config", "--provider", "v", "kv/a#b"}, "", []string{"kv/a#b"}},
		{[]string{"--config=/etc/o.json", "kv/a"}, "/etc/o.json", []string{"kv/a"}},
		{[]string{"--config", "/etc/o.json5", "kv/a"}, "/etc/o.json5", []string{"kv/a"}},
		{[]string{"kv/a", "--config", "./o.json"}, "./o.json", []string{"kv/a"}},
		{[]string{"--config", "openclaw.json", "kv/a"}, "openclaw.json", []string{"kv/a"}},
		{[]string{"--config", "other.json", "kv/a"}, "", []string{"other.json", "kv/a"}}, // no such file: an id
		{[]string{"--config", "kv/a", "/abs"}, "", []string{"kv/a", "/abs"}},             // only right after --config
		{[]string{"--config=false", "--command", "/p", "x"}, "", []string{"x"}},
	}
	for _, c := range cases {
		o, err := parseFlags(c.args, io.Discard)
		if err != nil {
			t.Errorf("%q: %v", c.args, err)
			continue
		}
		if o.config.path != c.path || !slices.Equal(o.ids, c.ids) {
			t.Errorf("%q: config %q ids %q; want %q %q", c.args, o.config.path, o.ids, c.path, c.ids)
		}
	}
}

// With --config the block comes from the file: flags that would change it
// are refused, and --gateway-cwd means nothing without --config.
func TestConfigFlagConflicts(t *testing.T) {
	for _, args := range [][]string{
		{"--config", "--command", "/p", "id"},
		{"id", "--config", "--pass-env", "X"},
		{"--config", "--json-only=false"},
		{"--gateway-cwd", "/", "--command", "/p", "id"},
	} {
		_, err := parseFlags(args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "--config") {
			t.Errorf("%q: %v", args, err)
		}
	}
}
