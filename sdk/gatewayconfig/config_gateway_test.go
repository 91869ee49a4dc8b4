package gatewayconfig

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// validateResult is `openclaw config validate --json`.
type validateResult struct {
	Valid  bool `json:"valid"`
	Issues []struct {
		Path    string `json:"path"`
		Message string `json:"message"`
	} `json:"issues"`
}

// validate runs the gateway's `config validate` on the config at path,
// with HOME, cwd and extra variables as the environment.
func (g installedGateway) validate(t *testing.T, home, cwd, path string, extra ...string) validateResult {
	t.Helper()
	env := append([]string{"HOME=" + home, "OPENCLAW_CONFIG_PATH=" + path}, extra...)
	out, _ := g.run(t, cwd, env, g.cli(), "config", "validate", "--json") // exits 1 when invalid
	var r validateResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("config validate printed %q: %v", out, err)
	}
	return r
}

// problemPaths are the config paths this package finds fault with, in
// the gateway's notation (a.b.0, not a.b[0]).
func problemPaths(cfg *Config) []string {
	var paths []string
	for name, err := range cfg.Invalid {
		for _, p := range err.(*ProviderError).Problems {
			key, _, _ := strings.Cut(p, ": ")
			if key == "(block)" {
				paths = append(paths, keyPath("secrets.providers", name))
				continue
			}
			paths = append(paths, keyPath("secrets.providers", name)+"."+key)
		}
	}
	for _, err := range cfg.Issues {
		path, _, _ := strings.Cut(strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": "), ": ")
		paths = append(paths, path)
	}
	for _, r := range cfg.Refs {
		if r.Err != nil {
			paths = append(paths, r.Path)
		}
	}
	for i, p := range paths {
		paths[i] = bracketIndex.ReplaceAllString(p, ".$1")
	}
	sort.Strings(paths)
	return paths
}

var bracketIndex = regexp.MustCompile(`\[(\d+)\]`)

// related: one path is the other or lies within it.
func related(a, b string) bool {
	return a == b || strings.HasPrefix(a, b+".") || strings.HasPrefix(b, a+".")
}

// TestDecodeGateway holds Decode's verdicts to `openclaw config validate`:
// for each config, the gateway accepts it exactly when this package finds
// nothing wrong, and each side's problem paths have a counterpart on the
// other (the same key, or one within the other).
func TestDecodeGateway(t *testing.T) {
	g := requireGateway(t)
	bin := t.TempDir()
	cmd := filepath.Join(bin, "resolver")
	if err := os.WriteFile(cmd, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	ref := func(provider, id string) string {
		return `models: {providers: {openai: {baseUrl: "https://api.example", models: [], apiKey: {source: "exec", provider: "` + provider + `", id: "` + id + `"}}}},`
	}
	provider := func(fields string) string {
		return `secrets: {providers: {v: {source: "exec", command: "CMD"` + fields + `}}},`
	}
	for _, c := range []struct{ name, doc string }{
		{"minimal", provider("") + ref("v", "secret/openai#apiKey")},
		{"every field", provider(`, args: ["--a", "b"], passEnv: ["HOME_X"], env: {A: "1"}, trustedDirs: ["BIN"], timeoutMs: 120000, noOutputTimeoutMs: 1, maxOutputBytes: 20971520, jsonOnly: false`) + ref("v", "a:b/c#d")},
		{"other sources", `secrets: {defaults: {exec: "v"}, providers: {v: {source: "exec", command: "CMD"}, f: {source: "file", path: "/nonexistent/s.json", mode: "json"}, e: {source: "env", allowlist: ["OPENAI_API_KEY"]}}},`},
		{"substituted command", `secrets: {providers: {v: {source: "exec", command: "${EXECREF_BIN}/resolver"}}},`},
		{"include", `secrets: {providers: {$include: "./providers.json5"}},`},
		{"removed opt-out", provider(`, allowSymlinkCommand: true`)},
		{"zero timeout and bad passEnv", provider(`, timeoutMs: 0, passEnv: ["lower"]`)},
		{"fractional limit", provider(`, maxOutputBytes: 1.5`)},
		{"args not strings", provider(`, args: ["ok", 2]`)},
		{"relative command", `secrets: {providers: {v: {source: "exec", command: "bin/resolver"}}},`},
		{"unsafe command", `secrets: {providers: {v: {source: "exec", command: "CMD;id"}}},`},
		{"relative trusted dir", provider(`, trustedDirs: ["bin"]`)},
		{"env value not a string", provider(`, env: {A: 1}`)},
		{"env block", provider("") + `env: {vars: {A: "1"}, shellEnv: {enabled: false, timeoutMs: 0}},`},
		{"env top-level variable", provider("") + `env: {A: "1"},`},
		{"env var not a string", provider("") + `env: {vars: {A: 1}},`},
		{"secrets.resolution", `secrets: {resolution: {maxProviderConcurrency: 2}, providers: {v: {source: "exec", command: "CMD"}}},`},
		{"unknown source", `secrets: {providers: {v: {source: "vault", command: "CMD"}}},`},
		{"bad provider alias in ref", provider("") + ref("Vault", "a")},
		{"traversal in ref id", provider("") + ref("v", "a/../b")},
		{"include escaping", `secrets: {providers: {$include: "../outside.json5"}},`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			home, dir := t.TempDir(), t.TempDir()
			doc := strings.NewReplacer("CMD", cmd, "BIN", bin).Replace(`{gateway: {mode: "local"}, ` + c.doc + `}`)
			path := filepath.Join(dir, "cfg", "openclaw.json")
			writeFiles(t, dir, map[string]string{
				"cfg/openclaw.json":   doc,
				"cfg/providers.json5": `{v: {source: "exec", command: "` + cmd + `"}}`,
				"outside.json5":       `{}`,
			})
			gw := g.validate(t, home, dir, path, "EXECREF_BIN="+bin)

			cfg, _, err := LoadGateway(path, envOf(map[string]string{"HOME": home, "EXECREF_BIN": bin}), dir)
			if err != nil {
				if gw.Valid || len(gw.Issues) != 1 || gw.Issues[0].Path != "<root>" {
					t.Fatalf("Load: %v; the gateway says valid=%v %+v", err, gw.Valid, gw.Issues)
				}
				return
			}
			ours := problemPaths(cfg)
			if gw.Valid != (len(ours) == 0) {
				t.Fatalf("the gateway says valid=%v (%+v); this package finds %q", gw.Valid, gw.Issues, ours)
			}
			for _, issue := range gw.Issues {
				found := false
				for _, p := range ours {
					found = found || related(p, issue.Path)
				}
				if !found {
					t.Errorf("the gateway's issue at %s (%s) has no counterpart in %q", issue.Path, issue.Message, ours)
				}
			}
			for _, p := range ours {
				found := false
				for _, issue := range gw.Issues {
					found = found || related(p, issue.Path)
				}
				if !found {
					t.Errorf("this package's problem at %s has no counterpart in the gateway's %+v", p, gw.Issues)
				}
			}
		})
	}
}

// TestGatewayEnvGateway holds GatewayEnv and ${VAR} substitution to the
// gateway: a command built from variables of every source (the
// environment, the working directory's .env, the state dir's .env,
// gateway.env, the config's env block) is reported by `config validate`
// as not readable, with the path the gateway substituted.
func TestGatewayEnvGateway(t *testing.T) {
	g := requireGateway(t)
	f := newEnvFixture(t)
	names := []string{"P_ONLY", "PROC_AND_CWD", "CWD_ONLY", "CWD_AND_STATE", "STATE_ONLY", "STATE_AND_GW", "GW_ONLY", "CFG_ONLY", "TOP_LEVEL", "CFG_AND_STATE", "BLANK_PROC", "WS_BASE_URL"}
	var parts []string
	for _, n := range names {
		parts = append(parts, "${"+n+"}")
	}
	command := "/nonexistent-execref/" + strings.Join(parts, "/")
	writeFiles(t, f.home, map[string]string{".openclaw/openclaw.json": `{
		gateway: {mode: "local"},
		env: {vars: {CFG_ONLY: "cfg", CFG_AND_STATE: "cfg5", BLANK_PROC: "cfg6", TOP_LEVEL: "top"}},
		secrets: {providers: {v: {source: "exec", command: "` + command + `"}}},
	}`})
	env := []string{"HOME=" + f.home, "P_ONLY=proc", "PROC_AND_CWD=proc2", "BLANK_PROC="}
	out, _ := g.run(t, f.cwd, env, g.cli(), "config", "validate", "--json")
	var r validateResult
	if err := json.Unmarshal(out, &r); err != nil || len(r.Issues) != 1 {
		t.Fatalf("config validate printed %q (%v): want one issue", out, err)
	}
	_, gatewayCommand, ok := strings.Cut(r.Issues[0].Message, "is not readable: ")
	if !ok {
		t.Fatalf("unexpected issue %+v", r.Issues[0])
	}

	cfg, _, err := LoadGateway("", f.env(nil), f.cwd)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Providers["v"].Command; got != gatewayCommand {
		t.Errorf("command\n got %s\nwant %s (the gateway's)", got, gatewayCommand)
	}
	t.Logf("the gateway substituted %s", gatewayCommand)
}
