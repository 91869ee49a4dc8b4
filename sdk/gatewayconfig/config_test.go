package gatewayconfig

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/host"
)

func mustParse(t *testing.T, doc string) any {
	t.Helper()
	v, err := ParseJSON5([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// loadDoc writes doc to a fresh openclaw.json and loads it.
func loadDoc(t *testing.T, doc string) *Config {
	t.Helper()
	path := filepath.Join(t.TempDir(), "openclaw.json")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestDecodeExecProvider(t *testing.T) {
	cfg := loadDoc(t, `{secrets: {providers: {vault: {
		source: "exec", command: "/opt/bin/openclaw-vault-resolver",
		args: ["--mount", "secret"], passEnv: ["VAULT_ADDR", "VAULT_TOKEN"],
		env: {VAULT_NAMESPACE: "team-a"}, trustedDirs: ["/opt/bin"],
		timeoutMs: 7000, noOutputTimeoutMs: 3000, maxOutputBytes: 2048, jsonOnly: false,
	}}}}`)
	no := false
	want := host.Provider{
		Source: "exec", Command: "/opt/bin/openclaw-vault-resolver",
		Args: []string{"--mount", "secret"}, PassEnv: []string{"VAULT_ADDR", "VAULT_TOKEN"},
		Env: map[string]string{"VAULT_NAMESPACE": "team-a"}, TrustedDirs: []string{"/opt/bin"},
		TimeoutMs: 7000, NoOutputTimeoutMs: 3000, MaxOutputBytes: 2048, JSONOnly: &no,
	}
	if got := cfg.Providers["vault"]; !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if len(cfg.Invalid)+len(cfg.Issues) != 0 {
		t.Errorf("unexpected problems: %v %v", cfg.Invalid, cfg.Issues)
	}
	if err := cfg.Providers["vault"].Validate(); err != nil {
		t.Errorf("a block the schema accepts fails host validation: %v", err)
	}
	minimal := loadDoc(t, `{secrets: {providers: {x: {source: "exec", command: "/x"}}}}`).Providers["x"]
	if l := minimal.Limits(); l.TimeoutMs != host.DefaultTimeoutMs || !l.JSONOnly || minimal.JSONOnly != nil {
		t.Errorf("defaults not left to the host: %+v %+v", minimal, l)
	}
}

func TestDecodeInvalidProviders(t *testing.T) {
	long := strings.Repeat("s3cr3t", 200) // 1200 characters
	for _, c := range []struct{ block, want string }{
		{`{source: "exec", command: "/x", allowSymlinkCommand: true}`, `allowSymlinkCommand: unknown key: openclaw 2026.9 removed`},
		{`{source: "exec", command: "/x", bogus: 1}`, `bogus: unknown key`},
		{`{source: "exec"}`, `command: missing`},
		{`{source: "exec", command: ""}`, `command: must not be empty`},
		{`{source: "exec", command: 7}`, `command: must be a string, got 7`},
		{`{source: "exec", command: "bin/x"}`, `command: secrets.providers.*.command must be an absolute path.`},
		{`{source: "exec", command: "~/bin/x"}`, `must be an absolute path.`},
		{`{source: "exec", command: " /bin/x"}`, `must be an absolute path.`},
		{`{source: "exec", command: "/bin/x;rm"}`, `command: secrets.providers.*.command is unsafe.`},
		{`{source: "exec", command: "/bin/$HOME"}`, `is unsafe.`},
		{`{source: "exec", command: "/x", timeoutMs: 0}`, `timeoutMs: must be an integer from 1 to 120000, got 0`},
		{`{source: "exec", command: "/x", timeoutMs: 1.5}`, `timeoutMs: must be an integer from 1 to 120000, got 1.5`},
		{`{source: "exec", command: "/x", timeoutMs: 120001}`, `got 120001`},
		{`{source: "exec", command: "/x", timeoutMs: "5000"}`, `timeoutMs: must be an integer from 1 to 120000, got "5000"`},
		{`{source: "exec", command: "/x", noOutputTimeoutMs: Infinity}`, `noOutputTimeoutMs: must be an integer from 1 to 120000, got Infinity`},
		{`{source: "exec", command: "/x", maxOutputBytes: 20971521}`, `maxOutputBytes: must be an integer from 1 to 20971520`},
		{`{source: "exec", command: "/x", args: "--flag"}`, `args: must be an array of strings`},
		{`{source: "exec", command: "/x", args: [1]}`, `args[0]: must be a string, got 1`},
		{`{source: "exec", command: "/x", args: ["` + long + `"]}`, `args[0]: is 1200 characters long, at most 1024 allowed`},
		{`{source: "exec", command: "/x", passEnv: ["vault_addr"]}`, `passEnv[0]: "vault_addr" must match`},
		{`{source: "exec", command: "/x", trustedDirs: ["bin"]}`, `trustedDirs[0]: "bin": trustedDirs entries must be absolute paths.`},
		{`{source: "exec", command: "/x", env: {A: 1}}`, `env.A: must be a string, got 1`},
		{`{source: "exec", command: "/x", env: ["A"]}`, `env: must be an object of strings`},
		{`{source: "exec", command: "/x", jsonOnly: "true"}`, `jsonOnly: must be true or false, got "true"`},
		{`{source: "exec", pluginIntegration: {pluginId: "onepassword"}}`, `pluginIntegration.integrationId: missing`},
		{`{source: "exec", pluginIntegration: {pluginId: "a", integrationId: "b"}, command: "/x"}`, `command: unknown key`},
		{`{source: "vault", command: "/x"}`, `source: must be "env", "file", "exec" or "store", got "vault"`},
		{`{command: "/x"}`, `source: missing`},
		{`"exec"`, `(block): must be an object, got (a string of 4 characters)`},
		{`{source: "env", allowlist: ["lower"]}`, `allowlist[0]: "lower" must match`},
		{`{source: "file"}`, `path: missing`},
		{`{source: "file", path: "/p", mode: "yaml"}`, `mode: must be "singleValue" or "json", got "yaml"`},
		{`{source: "store", path: "/p"}`, `path: unknown key`},
	} {
		cfg := loadDoc(t, `{secrets: {providers: {p: `+c.block+`}}}`)
		err := cfg.Invalid["p"]
		var pe *ProviderError
		if !errors.As(err, &pe) || !errors.Is(err, ErrInvalid) || !errors.Is(err, host.ErrInvalidConfig) {
			t.Errorf("%s: Invalid[p] = %v, want a *ProviderError wrapping ErrInvalid and host.ErrInvalidConfig", c.block, err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "secrets.providers.p: ") {
			t.Errorf("%s:\n got %v\nwant it to contain %q", c.block, err, c.want)
		}
		if strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("%s: the error quotes a value: %v", c.block, err)
		}
		if _, ok := cfg.Providers["p"]; ok {
			t.Errorf("%s: an invalid block is also in Providers", c.block)
		}
	}
}

func TestDecodeSourcesAndSections(t *testing.T) {
	cfg := loadDoc(t, `{secrets: {
		defaults: {exec: "vault"},
		egressProxy: {enabled: false},
		providers: {
			vault: {source: "exec", command: "/v"},
			files: {source: "file", path: "~/s.json", mode: "json", timeoutMs: 100, maxBytes: 10},
			environment: {source: "env", allowlist: ["OPENAI_API_KEY"]},
			kv: {source: "store"},
			op: {source: "exec", pluginIntegration: {pluginId: "onepassword", integrationId: "op"}},
		},
	}}`)
	if want := map[string]string{"files": "file", "environment": "env", "kv": "store"}; !reflect.DeepEqual(cfg.Other, want) {
		t.Errorf("Other = %v, want %v", cfg.Other, want)
	}
	if want := (PluginIntegration{PluginID: "onepassword", IntegrationID: "op"}); cfg.Plugins["op"] != want {
		t.Errorf("Plugins = %v", cfg.Plugins)
	}
	if got := cfg.ProviderNames(); !reflect.DeepEqual(got, []string{"vault"}) {
		t.Errorf("ProviderNames = %v", got)
	}
	if cfg.Resolution != DefaultResolution || cfg.Resolution.MaxProviderConcurrency != 4 || cfg.Resolution.MaxRefsPerProvider != 512 || cfg.Resolution.MaxBatchBytes != 262144 {
		t.Errorf("Resolution = %+v", cfg.Resolution)
	}
	if len(cfg.Issues) != 0 || len(cfg.Invalid) != 0 {
		t.Errorf("problems in a valid config: %v %v", cfg.Issues, cfg.Invalid)
	}
}

func TestDecodeIssues(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{`{secrets: {resolution: {maxProviderConcurrency: 2}}}`, `secrets.resolution: openclaw 2026.9 refuses this section`},
		{`{secrets: {providerz: {}}}`, `secrets.providerz: unknown key`},
		{`{secrets: []}`, `secrets: must be an object, got (an array)`},
		{`{secrets: {providers: "vault"}}`, `secrets.providers: must be an object`},
		{`{secrets: {defaults: {exec: "Vault"}}}`, `secrets.defaults.exec: "Vault" must match`},
		{`{secrets: {defaults: {command: "x"}}}`, `secrets.defaults.command: unknown key`},
		{`{secrets: {egressProxy: true}}`, `secrets.egressProxy: must be an object`},
	} {
		cfg := loadDoc(t, c.doc)
		if len(cfg.Issues) != 1 || !errors.Is(cfg.Issues[0], ErrInvalid) || !strings.Contains(cfg.Issues[0].Error(), c.want) {
			t.Errorf("%s: Issues = %v, want one containing %q", c.doc, cfg.Issues, c.want)
		}
	}
	// secrets.resolution is refused, yet the limits stay the gateway's.
	if cfg := loadDoc(t, `{secrets: {resolution: {maxBatchBytes: 1}}}`); cfg.Resolution != DefaultResolution {
		t.Errorf("Resolution = %+v", cfg.Resolution)
	}
}

func TestDecodeRefs(t *testing.T) {
	cfg := loadDoc(t, `{
		secrets: {providers: {
			vault: {source: "exec", command: "/v"},
			odd: {source: "exec", provider: "vault", id: "not/a/ref"},
		}},
		models: {providers: {openai: {apiKey: {source: "exec", provider: "vault", id: "secret/openai#apiKey"}}}},
		channels: {telegram: {accounts: [
			{botToken: {source: "exec", provider: "sops", id: "telegram/bot1"}},
			{botToken: {source: "env", provider: "default", id: "TG"}},
			[{source: "exec", provider: "sops", id: "nested:in/arrays"}],
		]}},
		"my agents": {"a b": {token: {source: "exec", provider: "aws", id: "prod/x#y"}}},
		"2": {source: "exec", provider: "first", id: "index-keys-come-first"},
		notRefs: {source: "exec", command: "/bin/true", text: "source exec"},
	}`)
	want := []Ref{
		{Path: `["2"]`, Provider: "first", ID: "index-keys-come-first"},
		{Path: "models.providers.openai.apiKey", Provider: "vault", ID: "secret/openai#apiKey"},
		{Path: "channels.telegram.accounts[0].botToken", Provider: "sops", ID: "telegram/bot1"},
		{Path: "channels.telegram.accounts[2][0]", Provider: "sops", ID: "nested:in/arrays"},
		{Path: `["my agents"]["a b"].token`, Provider: "aws", ID: "prod/x#y"},
	}
	if !reflect.DeepEqual(cfg.Refs, want) {
		t.Errorf("Refs:\n got %+v\nwant %+v", cfg.Refs, want)
	}
}

func TestDecodeRefErrors(t *testing.T) {
	for _, c := range []struct{ ref, want string }{
		{`{source: "exec", provider: "vault", id: "a", extra: 1}`, `unknown key "extra"`},
		{`{source: "exec", id: "a"}`, `no "provider"`},
		{`{source: "exec", provider: "Vault", id: "a"}`, `provider "Vault": Secret reference provider must match`},
		{`{source: "exec", provider: 1, id: "a"}`, `provider 1 is not a string`},
		{`{source: "exec", provider: "vault", id: "a/../b"}`, `id "a/../b": Exec secret reference id must match`},
		{`{source: "exec", provider: "vault", id: "has space"}`, `id "has space": Exec secret reference id must match`},
		{`{source: "exec", provider: "vault", id: 7}`, `id 7 is not a string`},
		{`{source: "exec", provider: "vault"}`, `no "id"`},
	} {
		cfg := loadDoc(t, `{tools: {web: {apiKey: `+c.ref+`}}}`)
		if len(cfg.Refs) != 1 || cfg.Refs[0].Path != "tools.web.apiKey" {
			t.Errorf("%s: Refs = %+v", c.ref, cfg.Refs)
			continue
		}
		if err := cfg.Refs[0].Err; !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "tools.web.apiKey") {
			t.Errorf("%s: Err = %v, want it to name the path and contain %q", c.ref, err, c.want)
		}
	}
	if cfg := loadDoc(t, `{a: {source: "exec", provider: "vault", id: "ok/id#f:1"}}`); cfg.Refs[0].Err != nil {
		t.Errorf("a valid ref has Err %v", cfg.Refs[0].Err)
	}
}

func TestDecodePlainAndErrors(t *testing.T) {
	cfg, err := Decode("x.json", mustParse(t, `{secrets: {providers: {b: {source: "exec", command: "/b"}, a: {source: "exec", command: "/a"}}}, z: {source: "exec", provider: "a", id: "z"}, y: [{source: "exec", provider: "b", id: "y"}]}`))
	if err != nil || len(cfg.Providers) != 2 || cfg.Path != "x.json" {
		t.Fatalf("Decode = %+v, %v", cfg, err)
	}
	if len(cfg.Refs) != 2 || cfg.Refs[0].Path != "y[0]" || cfg.Refs[1].Path != "z" {
		t.Errorf("plain maps are walked in sorted key order: %+v", cfg.Refs)
	}
	for _, root := range []any{[]any{}, "text", nil} {
		if _, err := Decode("x.json", root); !errors.Is(err, ErrInvalid) {
			t.Errorf("Decode(%#v): %v, want ErrInvalid", root, err)
		}
	}
	if _, err := Decode("x.json", mustParse(t, `{models: {$include: "./m.json5"}}`)); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "$include at models") {
		t.Errorf("Decode with $include: %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(filepath.Join(dir, "absent.json")); !errors.Is(err, ErrNotFound) {
		t.Errorf("absent file: %v, want ErrNotFound", err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{\n  secrets: {providers: {x: {command: \"s3cr3t-value\n}}}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(bad)
	var se *SyntaxError
	if !errors.Is(err, ErrSyntax) || !errors.As(err, &se) || se.Line != 3 || !strings.Contains(err.Error(), bad) {
		t.Errorf("syntax error: %v, want ErrSyntax at line 3 (json5 counts the newline it stopped at) naming the file", err)
	}
	if err != nil && strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("syntax error quotes the text: %v", err)
	}
	if _, err := Load(dir); err == nil || errors.Is(err, ErrNotFound) {
		t.Errorf("a directory: %v, want a read error", err)
	}
	arr := filepath.Join(dir, "array.json")
	if err := os.WriteFile(arr, []byte("[]"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(arr); !errors.Is(err, ErrInvalid) {
		t.Errorf("an array document: %v, want ErrInvalid", err)
	}
}
