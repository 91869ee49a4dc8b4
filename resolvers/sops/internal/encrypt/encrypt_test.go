package encrypt

import (
	"bytes"
	stdjson "encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/getsops/sops/v3"
	"github.com/getsops/sops/v3/aes"
	"github.com/getsops/sops/v3/cmd/sops/formats"
	"github.com/getsops/sops/v3/decrypt"
	"github.com/getsops/sops/v3/version"
	yamlv3 "go.yaml.in/yaml/v3"
	"gopkg.in/ini.v1"
)

// sample is a plaintext of one format, the values that must not appear in
// its encrypted form, and how to compare a decryption with the plaintext.
type sample struct {
	plaintext string
	secrets   []string // values (and comments) sops encrypts
	visible   []string // what sops leaves in clear: keys, "_unencrypted" values
	same      func(t *testing.T, want, got []byte)
}

// Values carry a '-', ' ' or non-ASCII character where they can: base64
// (all that sops emits for encrypted values) never contains them, so finding
// one in the output can only be a leak.
var samples = map[string]sample{
	"yaml": {
		plaintext: `# top-secret-comment
openai:
    apiKey: sk-yaml-openai-0001
    org.id: org-dotted-key-value
nested:
    deep:
        list:
            - list-item-one
            - name: list-map-name
              tags: [tag-a, tag-b]
        "dotted.key.name": dotted-key-value
unicode: "héllo wörld ✓ 日本語"
multi: |
    first-line of a secret
    second-line of a secret
number: 42
float: 3.25
flag: true
empty: ""
nothing: null
note_unencrypted: left-in-clear-value
---
second:
    document: second-document-value
`,
		secrets: []string{"top-secret-comment", "sk-yaml-openai-0001", "org-dotted-key-value", "list-item-one",
			"list-map-name", "tag-a", "dotted-key-value", "héllo", "日本語", "first-line", "second-line", "second-document-value"},
		visible: []string{"apiKey:", "org.id:", "dotted.key.name", "note_unencrypted: left-in-clear-value"},
		same:    sameYAML,
	},
	"json": {
		plaintext: `{
  "openai": {"apiKey": "sk-json-openai-0001", "org.id": "org-dotted-key-value"},
  "list": ["list-item-one", {"name": "list-map-name"}, [1, 2.5, false, null]],
  "unicode": "héllo wörld ✓ 日本語",
  "multi": "first-line of a secret\nsecond-line of a secret",
  "number": 42,
  "negative": -7,
  "float": 3.25,
  "flag": true,
  "empty": "",
  "nothing": null,
  "token_unencrypted": "left-in-clear-value"
}`,
		secrets: []string{"sk-json-openai-0001", "org-dotted-key-value", "list-item-one", "list-map-name",
			"héllo", "日本語", "first-line", "second-line"},
		visible: []string{`"apiKey"`, `"org.id"`, `"token_unencrypted": "left-in-clear-value"`},
		same:    sameJSON,
	},
	"dotenv": {
		plaintext: `# top-secret-comment
OPENAI_API_KEY=sk-dotenv-openai-0001
DATABASE_URL=postgres://app:pw-dotenv-0001@db.internal:5432/app?sslmode=disable
MULTI=first-line of a secret\nsecond-line of a secret
UNICODE=héllo wörld ✓ 日本語
WITH_EQUALS=a=b=c-dotenv
QUOTED="quotes-are-kept verbatim"
app.dotted.key=dotted-key-value
EMPTY=
`,
		secrets: []string{"top-secret-comment", "sk-dotenv-openai-0001", "pw-dotenv-0001", "first-line", "second-line",
			"héllo", "日本語", "c-dotenv", "quotes-are-kept", "dotted-key-value"},
		visible: []string{"OPENAI_API_KEY=", "app.dotted.key=", "EMPTY=\n"},
		same:    sameDotenv,
	},
	"ini": {
		plaintext: `global = top-level-value-0001

; top-secret-comment
[database]
url = postgres://app:pw-ini-0001@db.internal:5432/app
user = app-user-name

[api]
key = sk-ini-openai-0001
unicode = héllo wörld ✓ 日本語
dotted.key = dotted-key-value
`,
		secrets: []string{"top-level-value-0001", "top-secret-comment", "pw-ini-0001", "app-user-name",
			"sk-ini-openai-0001", "héllo", "日本語", "dotted-key-value"},
		visible: []string{"[database]", "[api]", "dotted.key"},
		same:    sameINI,
	},
	"binary": {
		plaintext: "\x00\x01\xfe\xffbinary-secret-marker\n\r\n\x80 not utf-8: \xc3\x28 ✓\x00",
		secrets:   []string{"binary-secret-marker", "not utf-8"},
		same: func(t *testing.T, want, got []byte) {
			if !bytes.Equal(want, got) {
				t.Errorf("binary round trip: got %q, want %q", got, want)
			}
		},
	},
}

func sameYAML(t *testing.T, want, got []byte) {
	t.Helper()
	parse := func(b []byte) []any {
		var docs []any
		dec := yamlv3.NewDecoder(bytes.NewReader(b))
		for {
			var doc any
			err := dec.Decode(&doc)
			if errors.Is(err, io.EOF) {
				return docs
			}
			if err != nil {
				t.Fatalf("parsing YAML: %v\n%s", err, b)
			}
			docs = append(docs, doc)
		}
	}
	if w, g := parse(want), parse(got); !reflect.DeepEqual(w, g) {
		t.Errorf("YAML differs:\ngot  %#v\nwant %#v", g, w)
	}
}

func sameJSON(t *testing.T, want, got []byte) {
	t.Helper()
	var w, g any
	if err := stdjson.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if err := stdjson.Unmarshal(got, &g); err != nil {
		t.Fatalf("parsing decrypted JSON: %v\n%s", err, got)
	}
	if !reflect.DeepEqual(w, g) {
		t.Errorf("JSON differs:\ngot  %#v\nwant %#v", g, w)
	}
}

// parseDotenv reads KEY=VALUE lines as the sops dotenv store does: split at
// the first '=', nothing trimmed or unquoted, "\n" escapes left as they are.
func parseDotenv(t *testing.T, b []byte) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("dotenv line without '=': %q", line)
		}
		m[k] = v
	}
	return m
}

func sameDotenv(t *testing.T, want, got []byte) {
	t.Helper()
	if w, g := parseDotenv(t, want), parseDotenv(t, got); !reflect.DeepEqual(w, g) {
		t.Errorf("dotenv differs:\ngot  %q\nwant %q", g, w)
	}
}

func parseINI(t *testing.T, b []byte) map[string]map[string]string {
	t.Helper()
	f, err := ini.Load(b)
	if err != nil {
		t.Fatalf("parsing INI: %v\n%s", err, b)
	}
	m := map[string]map[string]string{}
	for _, s := range f.Sections() {
		if len(s.Keys()) == 0 {
			continue // the implicit DEFAULT section
		}
		m[s.Name()] = s.KeysHash()
	}
	return m
}

func sameINI(t *testing.T, want, got []byte) {
	t.Helper()
	if w, g := parseINI(t, want), parseINI(t, got); !reflect.DeepEqual(w, g) {
		t.Errorf("INI differs:\ngot  %v\nwant %v", g, w)
	}
}

// useAgeKey makes the sops age key source find exactly secret: SOPS_AGE_KEY,
// and none of the other places it looks (key file, commands, SSH keys under
// HOME, the user config dir).
func useAgeKey(t *testing.T, secret string) {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	for _, k := range []string{"SOPS_AGE_KEY", "SOPS_AGE_KEY_FILE", "SOPS_AGE_KEY_CMD",
		"SOPS_AGE_SSH_PRIVATE_KEY_FILE", "SOPS_AGE_SSH_PRIVATE_KEY_CMD"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	if secret != "" {
		t.Setenv("SOPS_AGE_KEY", secret)
	}
}

func decryptAs(t *testing.T, secret string, encrypted []byte, format string) ([]byte, error) {
	t.Helper()
	useAgeKey(t, secret)
	return decrypt.DataWithFormat(encrypted, formats.FormatFromString(format))
}

func newIdentity(t *testing.T) Identity {
	t.Helper()
	id, err := NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestRoundTrip(t *testing.T) {
	id := newIdentity(t)
	other := newIdentity(t)
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			s := samples[format]
			enc := MustEncrypt(t, []byte(s.plaintext), format, id.Recipient)

			for _, secret := range s.secrets {
				if bytes.Contains(enc, []byte(secret)) {
					t.Errorf("encrypted file contains the plaintext %q:\n%s", secret, enc)
				}
			}
			for _, v := range s.visible {
				if !bytes.Contains(enc, []byte(v)) {
					t.Errorf("encrypted file lacks %q, which sops leaves in clear:\n%s", v, enc)
				}
			}
			for _, meta := range []string{id.Recipient, "lastmodified", "mac", version.Version, "BEGIN AGE ENCRYPTED FILE"} {
				if !bytes.Contains(enc, []byte(meta)) {
					t.Errorf("encrypted file lacks metadata %q", meta)
				}
			}
			suffix := bytes.Contains(enc, []byte("_unencrypted"))
			if want := format != "binary"; suffix != want {
				t.Errorf("unencrypted_suffix present = %v, want %v (as sops)", suffix, want)
			}

			got, err := decryptAs(t, id.Secret, enc, format)
			if err != nil {
				t.Fatalf("decrypt: %v", err)
			}
			s.same(t, []byte(s.plaintext), got)

			if _, err := decryptAs(t, other.Secret, enc, format); err == nil {
				t.Error("decrypting with another identity succeeded")
			}
			if _, err := decryptAs(t, "", enc, format); err == nil {
				t.Error("decrypting with no identity succeeded")
			}

			tampered := Tamper(enc)
			if bytes.Equal(tampered, enc) || len(tampered) != len(enc) {
				t.Fatal("Tamper changed nothing, or the length")
			}
			if !bytes.Equal(Tamper(enc), tampered) || !bytes.Equal(Tamper(tampered), enc) {
				t.Error("Tamper is not deterministic")
			}
			if _, err := decryptAs(t, id.Secret, tampered, format); err == nil {
				t.Error("decrypting a tampered file succeeded")
			} else if !strings.Contains(err.Error(), "AES_GCM") {
				t.Errorf("tampered file: want an AES-GCM failure, got %v", err)
			}

			dropped, err := DropValue(enc, format)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := decryptAs(t, id.Secret, dropped, format); err == nil {
				t.Error("decrypting a file with a value dropped succeeded")
			} else if !strings.Contains(err.Error(), "integrity") {
				t.Errorf("value dropped: want a MAC mismatch, got %v", err)
			}
		})
	}
}

func TestEncryptionIsRandomized(t *testing.T) {
	id := newIdentity(t)
	a := MustEncrypt(t, []byte("k: same-value\n"), "yaml", id.Recipient)
	b := MustEncrypt(t, []byte("k: same-value\n"), "yaml", id.Recipient)
	if bytes.Equal(a, b) {
		t.Error("two encryptions are identical")
	}
}

func TestSeveralRecipients(t *testing.T) {
	a, b, c, outsider := newIdentity(t), newIdentity(t), newIdentity(t), newIdentity(t)
	// Variadic, and comma-separated as with `sops --age a,b`.
	enc := MustEncrypt(t, []byte(`{"k": "shared-secret-value"}`), "json", a.Recipient, b.Recipient+","+c.Recipient)
	for _, id := range []Identity{a, b, c} {
		got, err := decryptAs(t, id.Secret, enc, "json")
		if err != nil {
			t.Fatalf("recipient %s: %v", id.Recipient, err)
		}
		sameJSON(t, []byte(`{"k": "shared-secret-value"}`), got)
	}
	if _, err := decryptAs(t, outsider.Secret, enc, "json"); err == nil {
		t.Error("a non-recipient decrypted the file")
	}
}

func TestKeyFile(t *testing.T) {
	id := newIdentity(t)
	kf := id.KeyFile()
	lines := strings.Split(strings.TrimSuffix(string(kf), "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "# created: ") ||
		lines[1] != "# public key: "+id.Recipient || lines[2] != id.Secret {
		t.Fatalf("key file:\n%s", kf)
	}
	if !strings.HasPrefix(id.Secret, "AGE-SECRET-KEY-1") || !strings.HasPrefix(id.Recipient, "age1") {
		t.Fatalf("identity %q / %q", id.Secret, id.Recipient)
	}
	ids, err := age.ParseIdentities(bytes.NewReader(kf))
	if err != nil || len(ids) != 1 {
		t.Fatalf("age.ParseIdentities: %v, %d identities", err, len(ids))
	}
	if x, ok := ids[0].(*age.X25519Identity); !ok || x.Recipient().String() != id.Recipient {
		t.Fatalf("key file identity does not match its recipient")
	}

	// sops reads it from SOPS_AGE_KEY_FILE.
	enc := MustEncrypt(t, []byte("A=key-file-secret\n"), "dotenv", id.Recipient)
	useAgeKey(t, "")
	path := filepath.Join(t.TempDir(), "keys.txt")
	if err := os.WriteFile(path, kf, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOPS_AGE_KEY_FILE", path)
	got, err := decrypt.DataWithFormat(enc, formats.Dotenv)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "A=key-file-secret\n" {
		t.Fatalf("got %q", got)
	}
}

func TestEncryptErrors(t *testing.T) {
	id := newIdentity(t)
	enc := MustEncrypt(t, []byte("a: b\n"), "yaml", id.Recipient)
	for name, tc := range map[string]struct {
		plaintext, format string
		recipients        []string
	}{
		"unknown format":    {"a: b\n", "toml", []string{id.Recipient}},
		"no recipient":      {"a: b\n", "yaml", nil},
		"empty recipient":   {"a: b\n", "yaml", []string{""}},
		"bad recipient":     {"a: b\n", "yaml", []string{"age1notakey"}},
		"secret as key":     {"a: b\n", "yaml", []string{id.Secret}},
		"empty yaml":        {"", "yaml", []string{id.Recipient}},
		"already encrypted": {string(enc), "yaml", []string{id.Recipient}},
		"invalid json":      {"{", "json", []string{id.Recipient}},
		"json array":        {"[1]", "json", []string{id.Recipient}},
		"dotenv no '='":     {"JUSTAKEY\n", "dotenv", []string{id.Recipient}},
		"non-string key":    {"1: b\n", "yaml", []string{id.Recipient}},
	} {
		if _, err := Encrypt([]byte(tc.plaintext), tc.format, tc.recipients...); err == nil {
			t.Errorf("%s: no error", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

// TestTreeShapes pins how each store represents a decrypted file, which is
// what the resolver walks: see the package report.
func TestTreeShapes(t *testing.T) {
	id := newIdentity(t)
	useAgeKey(t, id.Secret)
	load := func(plaintext, format string) sops.TreeBranches {
		t.Helper()
		store, err := StoreFor(format)
		if err != nil {
			t.Fatal(err)
		}
		tree, err := store.LoadEncryptedFile(MustEncrypt(t, []byte(plaintext), format, id.Recipient))
		if err != nil {
			t.Fatal(err)
		}
		key, err := tree.Metadata.GetDataKey()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tree.Decrypt(key, aes.NewCipher()); err != nil {
			t.Fatal(err)
		}
		return tree.Branches
	}
	check := func(got, want sops.TreeBranches) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("tree:\ngot  %#v\nwant %#v", got, want)
		}
	}
	type B = sops.TreeBranch
	I := func(k, v any) sops.TreeItem { return sops.TreeItem{Key: k, Value: v} }

	check(load("# c\na: 1\nb: 2.5\nc: true\nd: null\ne: \"\"\nf: [x, 2]\ng:\n    h: i\n", "yaml"),
		sops.TreeBranches{B{
			I(sops.Comment{Value: " c"}, nil),
			I("a", 1), I("b", 2.5), I("c", true), I("d", nil), I("e", ""),
			I("f", []any{"x", 2}),
			I("g", B{I("h", "i")}),
		}})
	check(load(`{"a": 1, "b": [true, null, {"c": "d"}]}`, "json"),
		sops.TreeBranches{B{I("a", 1), I("b", []any{true, nil, B{I("c", "d")}})}})
	// dotenv: one flat branch of strings; nothing trimmed or unquoted, "\n"
	// escapes unescaped.
	check(load("# c\nA=1\nexport B = \"q\"\nC=x\\ny\n", "dotenv"),
		sops.TreeBranches{B{I(sops.Comment{Value: " c"}, nil), I("A", "1"), I("export B ", " \"q\""), I("C", "x\ny")}})
	// ini: one branch of sections (keys before any section are in DEFAULT),
	// each a branch of string values; the ini library trims and unquotes.
	check(load("top = 1\n[s]\nk = \"quoted v\"\n", "ini"),
		sops.TreeBranches{B{I("DEFAULT", B{I("top", "1")}), I("s", B{I("k", "quoted v")})}})
	check(load("\x00raw", "binary"), sops.TreeBranches{B{I("data", "\x00raw")}})
}

func TestToPGP(t *testing.T) {
	id := newIdentity(t)
	useAgeKey(t, id.Secret)
	const fp = "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4"
	for _, format := range Formats {
		plain := map[string]string{"binary": "raw", "dotenv": "A=1\n", "ini": "[s]\nk = v\n", "json": `{"a":"b"}`, "yaml": "a: b\n"}[format]
		out, err := ToPGP(MustEncrypt(t, []byte(plain), format, id.Recipient), format, fp)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		store, _ := StoreFor(format)
		tree, err := store.LoadEncryptedFile(out)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		groups := tree.Metadata.KeyGroups
		if len(groups) != 1 || len(groups[0]) != 1 || groups[0][0].TypeToIdentifier() != "pgp" || groups[0][0].ToString() != fp {
			t.Fatalf("%s: key groups %+v", format, groups)
		}
		// The age key no longer opens it: only the PGP key could.
		if _, err := tree.Metadata.GetDataKey(); err == nil {
			t.Fatalf("%s: decrypted without the PGP key", format)
		}
	}
}
