package vault

import (
	"errors"
	"testing"

	"github.com/execref/execref/protocol"
)

func TestParseID(t *testing.T) {
	cases := []struct {
		id   string
		want ref
	}{
		{"kv/openclaw/openai#apiKey", ref{secret{"kv/openclaw/openai", 0}, "apiKey", false}},
		{"team/apps/web#token", ref{secret{"team/apps/web", 0}, "token", false}},
		{"kv/app:v3#apiKey", ref{secret{"kv/app", 3}, "apiKey", false}},
		{"kv/app#", ref{secret{"kv/app", 0}, "", true}},
		{"kv/app:v2#", ref{secret{"kv/app", 2}, "", true}},
		{"providers/openai/apiKey", ref{secret{"secret/providers/openai", 0}, "apiKey", false}},
		{"providers/openai:v7/apiKey", ref{secret{"secret/providers/openai", 7}, "apiKey", false}},
		{"db/password", ref{secret{"secret/db", 0}, "password", false}},
		{"kv/a:b#c:d", ref{secret{"kv/a:b", 0}, "c:d", false}},
	}
	for _, c := range cases {
		got, err := parseID(c.id, "secret")
		if err != nil || got != c.want {
			t.Errorf("%q: %+v, %v; want %+v", c.id, got, err, c.want)
		}
	}
	for _, id := range []string{"nopath", "kv#field", "kv/a#b#c", "kv//a#b", "a//b", "kv/a:v0#f", "kv/a/#f"} {
		if _, err := parseID(id, "secret"); !errors.Is(err, protocol.InvalidID) {
			t.Errorf("%q: %v, want INVALID_ID", id, err)
		}
	}
	if got, _ := parseID("x/y", "/team/kv/"); got.path != "team/kv/x" {
		t.Errorf("--mount with slashes: %q", got.path)
	}
}

func TestPick(t *testing.T) {
	r := &Resolver{}
	data := map[string]any{"apiKey": "sk-1", "port": 5432.0, "empty": "", "nested": map[string]any{"a": "b"}, "nothing": nil}
	ref := func(field string) ref { return ref{secret: secret{path: "kv/app"}, field: field, whole: field == ""} }
	if v, err := r.pick(data, ref("apiKey")); err != nil || v != "sk-1" {
		t.Errorf("apiKey: %q %v", v, err)
	}
	for field, code := range map[string]protocol.Code{"missing": protocol.NotFound, "port": protocol.InvalidValue,
		"empty": protocol.InvalidValue, "nested": protocol.InvalidValue, "nothing": protocol.InvalidValue, "": protocol.InvalidValue} {
		if _, err := r.pick(data, ref(field)); !errors.Is(err, code) {
			t.Errorf("%q: %v, want %s", field, err, code)
		}
	}
	if v, err := r.pick(map[string]any{"only": "one"}, ref("")); err != nil || v != "one" {
		t.Errorf("the only field: %q %v", v, err)
	}
	r.jsonValues = true
	if v, _ := r.pick(data, ref("nested")); v != `{"a":"b"}` {
		t.Errorf("--json nested: %q", v)
	}
	if v, _ := r.pick(map[string]any{"a": "<&>", "b": 1.5}, ref("")); v != `{"a":"<&>","b":1.5}` {
		t.Errorf("--json whole: %q", v)
	}
}
