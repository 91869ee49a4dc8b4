package gatewayconfig

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// envFixture is a home with the gateway's .env files, a working directory
// with its own .env, and a config with an env block.
type envFixture struct {
	home, cwd, config string
	stateEnv, cwdEnv  string
	gatewayEnv        string
}

func newEnvFixture(t *testing.T) envFixture {
	t.Helper()
	f := envFixture{home: t.TempDir(), cwd: t.TempDir()}
	f.config = filepath.Join(f.home, ".openclaw", "openclaw.json")
	f.stateEnv = filepath.Join(f.home, ".openclaw", ".env")
	f.cwdEnv = filepath.Join(f.cwd, ".env")
	f.gatewayEnv = filepath.Join(f.home, ".config", "openclaw", "gateway.env")
	writeFiles(t, f.home, map[string]string{
		".openclaw/openclaw.json": `{
			env: {
				vars: {CFG_ONLY: "cfg", CFG_AND_STATE: "cfg5", BLANK_PROC: "cfg6", REF: "${P_ONLY}", LD_PRELOAD: "/evil.so", EMPTY: " "},
				TOP_LEVEL: "top", CFG_ONLY: "top wins",
				shellEnv: {enabled: true},
			},
			secrets: {providers: {v: {source: "exec", command: "/v", passEnv: ["P_ONLY", "UNSET_VAR", "STATE_ONLY"]}}},
		}`,
		".openclaw/.env":               "STATE_ONLY=stateval\nCWD_AND_STATE=state3\nSTATE_AND_GW=state4\nCFG_AND_STATE=state5\nWS_BASE_URL=stateok\nPROC_AND_CWD=state-loses\n",
		".config/openclaw/gateway.env": "GW_ONLY=gwval\nSTATE_AND_GW=gw4\n",
	})
	writeFiles(t, f.cwd, map[string]string{
		".env": "CWD_ONLY=cwdval\nPROC_AND_CWD=cwd2\nCWD_AND_STATE=cwd3\nWS_BASE_URL=cwdbad\nOPENAI_API_KEY=sk-nope\nOPENCLAW_STATE_DIR=/elsewhere\n",
	})
	return f
}

func (f envFixture) env(extra map[string]string) Env {
	vars := map[string]string{"HOME": f.home, "P_ONLY": "proc", "PROC_AND_CWD": "proc2", "BLANK_PROC": ""}
	for k, v := range extra {
		vars[k] = v
	}
	return envOf(vars)
}

// wantVar checks a variable's value and source.
func wantVar(t *testing.T, e *Environment, name, value, source string) {
	t.Helper()
	v, ok := e.Lookup(name)
	if !ok || v != value {
		t.Errorf("%s = %q (set %v), want %q", name, v, ok, value)
	}
	if got := e.Origin(name); got != source {
		t.Errorf("%s comes from %q, want %q", name, got, source)
	}
}

func TestGatewayEnvPrecedence(t *testing.T) {
	f := newEnvFixture(t)
	cfg, err := Load(f.config)
	if err != nil {
		t.Fatal(err)
	}
	e, err := GatewayEnv(f.env(nil), f.cwd, cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfgSource := func(key string) string { return f.config + " (" + key + ")" }
	wantVar(t, e, "P_ONLY", "proc", SourceEnvironment)
	wantVar(t, e, "PROC_AND_CWD", "proc2", SourceEnvironment)
	wantVar(t, e, "CWD_ONLY", "cwdval", f.cwdEnv)
	wantVar(t, e, "CWD_AND_STATE", "cwd3", f.cwdEnv)
	wantVar(t, e, "STATE_ONLY", "stateval", f.stateEnv)
	wantVar(t, e, "STATE_AND_GW", "state4", f.stateEnv)
	wantVar(t, e, "GW_ONLY", "gwval", f.gatewayEnv)
	wantVar(t, e, "CFG_ONLY", "top wins", cfgSource("env.CFG_ONLY"))
	wantVar(t, e, "TOP_LEVEL", "top", cfgSource("env.TOP_LEVEL"))
	wantVar(t, e, "CFG_AND_STATE", "state5", f.stateEnv)
	wantVar(t, e, "BLANK_PROC", "cfg6", cfgSource("env.vars.BLANK_PROC"))
	wantVar(t, e, "WS_BASE_URL", "stateok", f.stateEnv)
	for _, name := range []string{"OPENAI_API_KEY", "REF", "LD_PRELOAD", "EMPTY", "UNSET_VAR"} {
		if v, ok := e.Lookup(name); ok {
			t.Errorf("%s is set (%d characters): the gateway would not set it", name, len(v))
		}
	}
	if _, ok := e.Vars["P_ONLY"]; !ok {
		t.Error("Vars lacks P_ONLY, a passEnv name set in the environment")
	}
	if sd, _ := StateDir(e.Lookup); sd != filepath.Join(f.home, ".openclaw") {
		t.Errorf("the workspace .env moved the state dir: %s", sd)
	}
	notes := strings.Join(e.Notes, "\n")
	for _, want := range []string{
		f.cwdEnv + ": the gateway ignores WS_BASE_URL, OPENAI_API_KEY, OPENCLAW_STATE_DIR from the .env of its working directory",
		"Conflicting values in " + f.stateEnv + " and " + f.gatewayEnv + " for STATE_AND_GW; keeping " + f.stateEnv + ".",
		"env.shellEnv.enabled is true: the gateway also imports missing provider and channel credential variables",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("Notes lack %q:\n%s", want, notes)
		}
	}
	if strings.Contains(notes, "sk-nope") || strings.Contains(notes, "stateval") {
		t.Errorf("Notes hold a value:\n%s", notes)
	}
}

func TestGatewayEnvFiles(t *testing.T) {
	f := newEnvFixture(t)
	// OPENCLAW_STATE_DIR elsewhere: that dir's .env, not ~/.openclaw's nor
	// gateway.env (it is also the "config dir", whatever
	// OPENCLAW_CONFIG_PATH says).
	state, confDir := t.TempDir(), t.TempDir()
	writeFiles(t, state, map[string]string{".env": "FROM=state\nSTATE_ONLY=other\n"})
	writeFiles(t, confDir, map[string]string{".env": "FROM=config-dir\nCONF_DIR=yes\n"})
	e, err := GatewayEnv(f.env(map[string]string{"OPENCLAW_STATE_DIR": state, "OPENCLAW_CONFIG_PATH": filepath.Join(confDir, "c.json")}), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	wantVar(t, e, "FROM", "state", filepath.Join(state, ".env"))
	wantVar(t, e, "STATE_ONLY", "other", filepath.Join(state, ".env"))
	for _, name := range []string{"GW_ONLY", "CWD_ONLY", "CONF_DIR"} {
		if _, ok := e.Lookup(name); ok {
			t.Errorf("%s is set: neither gateway.env, the config's dir nor a working directory applies here", name)
		}
	}
	// OPENCLAW_CONFIG_PATH alone: the state dir's .env, then the config
	// dir's, then gateway.env.
	e, err = GatewayEnv(f.env(map[string]string{"OPENCLAW_CONFIG_PATH": filepath.Join(confDir, "c.json")}), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	wantVar(t, e, "STATE_ONLY", "stateval", f.stateEnv)
	wantVar(t, e, "FROM", "config-dir", filepath.Join(confDir, ".env"))
	wantVar(t, e, "CONF_DIR", "yes", filepath.Join(confDir, ".env"))
	wantVar(t, e, "GW_ONLY", "gwval", f.gatewayEnv)
	// A state .env that moves the state dir is noted.
	writeFiles(t, f.home, map[string]string{".openclaw/.env": "OPENCLAW_STATE_DIR=/srv/openclaw\n"})
	e, err = GatewayEnv(f.env(nil), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(e.Notes, "\n"), "sets OPENCLAW_STATE_DIR: the gateway then selects its state and config again") {
		t.Errorf("Notes: %q", e.Notes)
	}
	// Without a config, no env block and no shell note.
	for _, n := range e.Notes {
		if strings.Contains(n, "login shell") {
			t.Errorf("shell note without a config: %q", n)
		}
	}
	// OPENCLAW_LOAD_SHELL_ENV alone asks for the shell import too.
	cfg := loadDoc(t, `{}`)
	e, _ = GatewayEnv(f.env(map[string]string{"OPENCLAW_LOAD_SHELL_ENV": "yes"}), "", cfg)
	if !strings.Contains(strings.Join(e.Notes, "\n"), "OPENCLAW_LOAD_SHELL_ENV is set") {
		t.Errorf("Notes: %q", e.Notes)
	}
	if _, err := os.Stat(f.stateEnv); err != nil {
		t.Fatal(err)
	}
}

func TestLoadGateway(t *testing.T) {
	f := newEnvFixture(t)
	writeFiles(t, f.home, map[string]string{".openclaw/openclaw.json": `{
		env: {vars: {DIR: "from-config"}},
		secrets: {providers: {v: {source: "exec", command: "/${P_ONLY}/${STATE_ONLY}/${DIR}/${CWD_ONLY}", args: ["${NOPE}"]}}},
	}`})
	cfg, env, err := LoadGateway("", f.env(nil), f.cwd)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Path != f.config {
		t.Errorf("located %s, want %s", cfg.Path, f.config)
	}
	if got := cfg.Providers["v"].Command; got != "/proc/stateval/from-config/cwdval" {
		t.Errorf("command %q", got)
	}
	if len(cfg.Missing) != 1 || cfg.Missing[0].Name != "NOPE" || cfg.Providers["v"].Args[0] != "${NOPE}" {
		t.Errorf("Missing %+v, args %q", cfg.Missing, cfg.Providers["v"].Args)
	}
	if env.Origin("DIR") == "" {
		t.Error("the environment lacks the config's env block")
	}
}
