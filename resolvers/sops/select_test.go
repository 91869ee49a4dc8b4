package sops

import (
	"errors"
	"testing"

	gosops "github.com/getsops/sops/v3"
	"github.com/getsops/sops/v3/config"
	"github.com/getsops/sops/v3/stores/dotenv"
	"github.com/getsops/sops/v3/stores/ini"
	"github.com/getsops/sops/v3/stores/json"
	"github.com/getsops/sops/v3/stores/yaml"

	"github.com/execref/execref/protocol"
)

// plainTree parses plaintext with the sops store for format, giving the
// same tree the resolver walks after decryption.
func plainTree(t *testing.T, format, text string) gosops.TreeBranches {
	t.Helper()
	type plainLoader interface {
		LoadPlainFile([]byte) (gosops.TreeBranches, error)
	}
	var s plainLoader
	switch format {
	case "yaml":
		s = yaml.NewStore(&config.YAMLStoreConfig{})
	case "json":
		s = json.NewStore(&config.JSONStoreConfig{})
	case "dotenv":
		s = dotenv.NewStore(&config.DotenvStoreConfig{})
	case "ini":
		s = ini.NewStore(&config.INIStoreConfig{})
	case "binary":
		s = json.NewBinaryStore(&config.JSONBinaryStoreConfig{})
	}
	tree, err := s.LoadPlainFile([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

const yamlDoc = `
openai:
  apiKey: sk-123 # a comment
db.primary:
  url: "postgres://u:p@h/db"
  port: 5432
  ratio: 1.5
  enabled: true
  nothing: null
servers:
  # comment inside the list
  - name: a
    password: pa
  - name: b
    password: pb
"db:host": colon-key
"0": zero-key
multi: |
  line one
  line two
`

func TestSelectYAML(t *testing.T) {
	doc := plainTree(t, "yaml", yamlDoc)
	r := &Resolver{}
	f := file{path: "/x.yaml", format: "yaml"}
	ok := map[string]string{
		"openai/apiKey":      "sk-123",
		"db.primary/url":     "postgres://u:p@h/db",
		"db.primary/port":    "5432",
		"db.primary/ratio":   "1.5",
		"db.primary/enabled": "true",
		"servers/0/password": "pa",
		"servers/1/name":     "b",
		"db:host":            "colon-key",
		"0":                  "zero-key",
		"multi":              "line one\nline two\n",
	}
	for path, want := range ok {
		got, err := r.selectValue(doc, f, splitPath(path))
		if err != nil || got != want {
			t.Errorf("%s: got %q, %v; want %q", path, got, err, want)
		}
	}
	bad := map[string]protocol.Code{
		"openai/missing":       protocol.NotFound,
		"missing":              protocol.NotFound,
		"servers/2/name":       protocol.NotFound,
		"servers/x":            protocol.NotFound,
		"servers/01":           protocol.NotFound,
		"openai/apiKey/deeper": protocol.NotFound,
		"openai":               protocol.InvalidValue,
		"servers":              protocol.InvalidValue,
		"db.primary/nothing":   protocol.InvalidValue,
	}
	for path, code := range bad {
		_, err := r.selectValue(doc, f, splitPath(path))
		if !errors.Is(err, code) {
			t.Errorf("%s: %v, want %s", path, err, code)
		}
	}
	r.jsonValues = true
	got, err := r.selectValue(doc, f, []string{"servers"})
	if want := `[{"name":"a","password":"pa"},{"name":"b","password":"pb"}]`; err != nil || got != want {
		t.Errorf("--json list: %q, %v", got, err)
	}
	got, _ = r.selectValue(doc, f, []string{"db.primary"})
	if want := `{"url":"postgres://u:p@h/db","port":5432,"ratio":1.5,"enabled":true,"nothing":null}`; got != want {
		t.Errorf("--json map keeps order: %q", got)
	}
}

func splitPath(p string) []string {
	r, _ := parseID(p, map[string]file{"": {}})
	return r.path
}

func TestSelectOtherFormats(t *testing.T) {
	r := &Resolver{}
	cases := []struct {
		format, text string
		path         []string
		want         string
	}{
		{"json", `{"a":{"b":["x",{"c":"deep"}]},"n":7}`, []string{"a", "b", "1", "c"}, "deep"},
		{"json", `{"a":{"b":["x",{"c":"deep"}]},"n":7}`, []string{"n"}, "7"},
		{"dotenv", "API_KEY=sk-1\nOTHER=two words\n", []string{"API_KEY"}, "sk-1"},
		{"ini", "[database]\npassword = hunter2\n[api]\nkey = k1\n", []string{"database", "password"}, "hunter2"},
		{"binary", "-----BEGIN KEY-----\nabc\n", nil, "-----BEGIN KEY-----\nabc\n"},
		{"binary", "raw bytes", []string{"data"}, "raw bytes"},
	}
	for _, c := range cases {
		got, err := r.selectValue(plainTree(t, c.format, c.text), file{format: c.format}, c.path)
		if err != nil || got != c.want {
			t.Errorf("%s %q: got %q, %v; want %q", c.format, c.path, got, err, c.want)
		}
	}
}

func TestParseID(t *testing.T) {
	files := map[string]file{"": {}, "prod": {alias: "prod"}}
	cases := []struct {
		id, alias string
		path      []string
	}{
		{"openai/apiKey", "", []string{"openai", "apiKey"}},
		{"prod:openai/apiKey", "prod", []string{"openai", "apiKey"}},
		{"prod:", "prod", nil},
		{"staging:key", "", []string{"staging:key"}}, // no file "staging": a key with a colon
		{"a.b#c", "", []string{"a.b#c"}},
	}
	for _, c := range cases {
		r, err := parseID(c.id, files)
		if err != nil || r.alias != c.alias || len(r.path) != len(c.path) {
			t.Errorf("%q: %+v, %v", c.id, r, err)
			continue
		}
		for i := range c.path {
			if r.path[i] != c.path[i] {
				t.Errorf("%q: path %q", c.id, r.path)
			}
		}
	}
	for _, id := range []string{"a//b", "a/", "prod:a//b"} {
		if _, err := parseID(id, files); !errors.Is(err, protocol.InvalidID) {
			t.Errorf("%q: %v, want INVALID_ID", id, err)
		}
	}
	if _, err := parseID("key", map[string]file{"prod": {}}); !errors.Is(err, protocol.InvalidID) {
		t.Errorf("no default file: %v", err)
	}
}

func TestConfiguredFiles(t *testing.T) {
	env := map[string]string{}
	r := &Resolver{lookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
	if _, err := r.configuredFiles(); err == nil {
		t.Fatal("no file configured: want an error")
	}
	env[defaultFileEnv] = "/etc/x/secrets.enc.yaml"
	files, err := r.configuredFiles()
	if err != nil || files[""].format != "yaml" {
		t.Fatalf("from env: %+v, %v", files, err)
	}
	for _, v := range []string{"prod=/a/secrets.json", "/a/default.sops.env", "legacy=/a/app.ini", "cert=/a/tls.pem"} {
		if err := r.files.Set(v); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.formats.Set("legacy=dotenv"); err != nil {
		t.Fatal(err)
	}
	files, err = r.configuredFiles()
	want := map[string]string{"": "dotenv", "prod": "json", "legacy": "dotenv", "cert": "binary"}
	for alias, format := range want {
		if files[alias].format != format {
			t.Errorf("%q: format %q, want %q (%v)", alias, files[alias].format, format, err)
		}
	}
	for _, bad := range []string{"prod=/again", "=/x", "a:b=/x", "x="} {
		if err := r.files.Set(bad); err == nil {
			t.Errorf("--file %q accepted", bad)
		}
	}
	if err := r.formats.Set("toml"); err == nil {
		t.Error("--format toml accepted")
	}
	r2 := &Resolver{lookupEnv: r.lookupEnv}
	_ = r2.files.Set("/a/secrets.unknown")
	if _, err := r2.configuredFiles(); err == nil {
		t.Error("unknown extension accepted without --format")
	}
}
