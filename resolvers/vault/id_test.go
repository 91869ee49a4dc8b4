package vault

import (
	"errors"
	"testing"

	"github.com/execref/execref/protocol"
)

func TestParseID(t *testing.T) {
	explicit := func(path string, version int, field string) ref {
		return ref{secret: secret{path: path, version: version}, field: field, whole: field == ""}
	}
	under := func(mount, path, field string) ref {
		return ref{secret: secret{mount: mount, path: mount + "/" + path}, field: field}
	}
	cases := []struct {
		id   string
		want ref
	}{
		{"kv/openclaw/openai#apiKey", explicit("kv/openclaw/openai", 0, "apiKey")},
		{"team/apps/web#token", explicit("team/apps/web", 0, "token")},
		{"kv/app:v3#apiKey", explicit("kv/app", 3, "apiKey")},
		{"kv/app#", explicit("kv/app", 0, "")},
		{"kv/app:v2#", explicit("kv/app", 2, "")},
		{"kv/a:b#c:d", explicit("kv/a:b", 0, "c:d")},
		{"providers/openai/apiKey", under("secret", "providers/openai", "apiKey")},
		{"db/password", under("secret", "db", "password")},

		// PATH/FIELD has no version syntax, as the bundled resolver: a
		// name ending in :vN is the secret of that name.
		{"legacy:v1/token", under("secret", "legacy:v1", "token")},
		{"providers/openai:v7/apiKey", under("secret", "providers/openai:v7", "apiKey")},
		{"a:v0/b", under("secret", "a:v0", "b")},
		// The explicit form keeps :vN, and reaches a name ending in :vN
		// by pinning a version of it.
		{"secret/legacy:v1#token", explicit("secret/legacy", 1, "token")},
		{"secret/legacy:v1:v2#token", explicit("secret/legacy:v1", 2, "token")},
		{"kv/a:v1/b#f", explicit("kv/a:v1/b", 0, "f")},
		{"kv/app:v2147483647#f", explicit("kv/app", 2147483647, "f")},

		// '#' in a path: the explicit form splits at the last '#', and an
		// id whose last segment has no '#' is PATH/FIELD, '#' and all.
		{"kv/a#b#c", explicit("kv/a#b", 0, "c")},
		{"kv/app/openai#apiKey#x", explicit("kv/app/openai#apiKey", 0, "x")},
		{"kv/a#b:v2#c", explicit("kv/a#b", 2, "c")},
		{"kv/a#b#", explicit("kv/a#b", 0, "")},
		{"a#b/c", under("secret", "a#b", "c")},
		{"kv/x#y/z", under("secret", "kv/x#y", "z")},
		{"app#1/dir#2/token", under("secret", "app#1/dir#2", "token")},
	}
	for _, c := range cases {
		got, err := parseID(c.id, "secret", false)
		if err != nil || got != c.want {
			t.Errorf("%q: %+v, %v; want %+v", c.id, got, err, c.want)
		}
	}
	for _, id := range []string{
		"nopath", "kv#field", "kv//a#b", "a//b", "kv/a/#f", "a/", "x#y#z",
		"kv/a:v0#f", "kv/a:v01#f", "kv/a:v2147483648#f", "kv/a:v99999999999999999999#f", "kv/:v1#f",
	} {
		if _, err := parseID(id, "secret", false); !errors.Is(err, protocol.InvalidID) {
			t.Errorf("%q: %v, want INVALID_ID", id, err)
		}
	}
	if got, _ := parseID("x/y", "team/kv", false); got.path != "team/kv/x" || got.mount != "team/kv" {
		t.Errorf("multi-segment mount: %+v", got)
	}
}

// The same secret written several ways parses to the same secret (so one
// read), and different secrets never do.
func TestParseIDSameSecret(t *testing.T) {
	same := [][]string{
		{"kv/app#a", "kv/app#b", "kv/app#"},
		{"kv/app:v2#a", "kv/app:v2#b"},
		{"providers/openai/apiKey", "providers/openai/org"},
	}
	for _, group := range same {
		first, _ := parseID(group[0], "secret", false)
		for _, id := range group[1:] {
			if got, _ := parseID(id, "secret", false); got.secret != first.secret {
				t.Errorf("%q and %q: %+v and %+v, want one secret", group[0], id, first.secret, got.secret)
			}
		}
	}
	distinct := []string{
		"secret/legacy#token", "secret/legacy:v1#token", "legacy:v1/token",
		"secret/legacy:v1:v1#token", "kv/a#b#c", "kv/a#b/c", "kv/a/b#c",
	}
	seen := map[secret]string{}
	for _, id := range distinct {
		r, err := parseID(id, "secret", false)
		if err != nil {
			t.Fatalf("%q: %v", id, err)
		}
		if other, dup := seen[r.secret]; dup {
			t.Errorf("%q and %q parse to the same secret %+v", other, id, r.secret)
		}
		seen[r.secret] = id
	}
}

// With --bundled-ids every id reads as the bundled resolver reads it:
// PATH/FIELD in the mount, a '#' in the field or path and a ":vN" in the
// path being part of the names.
func TestParseIDBundled(t *testing.T) {
	cases := []struct {
		id, path, field string
	}{
		{"svc/key#2", "secret/svc", "key#2"},
		{"kv/app:v2#token", "secret/kv", "app:v2#token"},
		{"legacy:v1/token", "secret/legacy:v1", "token"},
		{"a#b/c", "secret/a#b", "c"},
		{"providers/openai/apiKey", "secret/providers/openai", "apiKey"},
	}
	for _, c := range cases {
		got, err := parseID(c.id, "secret", true)
		if err != nil {
			t.Errorf("%q: %v", c.id, err)
			continue
		}
		if got.path != c.path || got.field != c.field || got.version != 0 || got.whole || got.mount != "secret" {
			t.Errorf("%q: %+v, want path %q field %q in mount secret", c.id, got, c.path, c.field)
		}
	}
	if _, err := parseID("kv#token", "secret", true); !errors.Is(err, protocol.InvalidID) {
		t.Errorf("kv#token: %v, want INVALID_ID (no PATH/FIELD)", err)
	}
}
