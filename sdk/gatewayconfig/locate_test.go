package gatewayconfig

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// envOf is an Env holding exactly vars.
func envOf(vars map[string]string) Env {
	return func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}
}

func touch(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(path, 0o755); err != nil {
		t.Fatal(err)
	}
}

// locateCase is an environment, files to create under a fresh home, and
// the expected StateDir and Locate, "~" standing for that home and "." for
// the working directory.
type locateCase struct {
	name     string
	env      map[string]string
	files    []string // config files to create
	dirs     []string // directories to create
	stateDir string
	config   string
}

var locateCases = []locateCase{
	{name: "nothing exists", stateDir: "~/.openclaw", config: "~/.openclaw/openclaw.json"},
	{name: "state dir exists", dirs: []string{"~/.openclaw"}, stateDir: "~/.openclaw", config: "~/.openclaw/openclaw.json"},
	{name: "only the legacy state dir", dirs: []string{"~/.clawdbot"}, stateDir: "~/.clawdbot", config: "~/.clawdbot/openclaw.json"},
	{name: "both state dirs", dirs: []string{"~/.clawdbot", "~/.openclaw"}, stateDir: "~/.openclaw", config: "~/.openclaw/openclaw.json"},
	{name: "legacy config name", files: []string{"~/.openclaw/clawdbot.json"}, stateDir: "~/.openclaw", config: "~/.openclaw/clawdbot.json"},
	{name: "both config names", files: []string{"~/.openclaw/clawdbot.json", "~/.openclaw/openclaw.json"}, stateDir: "~/.openclaw", config: "~/.openclaw/openclaw.json"},
	{name: "legacy dir's config while the new dir exists empty", files: []string{"~/.clawdbot/openclaw.json"}, dirs: []string{"~/.openclaw"}, stateDir: "~/.openclaw", config: "~/.clawdbot/openclaw.json"},
	{name: "OPENCLAW_CONFIG_PATH wins", env: map[string]string{"OPENCLAW_CONFIG_PATH": "~/elsewhere/my.json5", "OPENCLAW_STATE_DIR": "~/state"}, files: []string{"~/state/openclaw.json"}, stateDir: "~/state", config: "~/elsewhere/my.json5"},
	{name: "OPENCLAW_CONFIG_PATH relative, trimmed", env: map[string]string{"OPENCLAW_CONFIG_PATH": "  conf/x.json "}, stateDir: "~/.openclaw", config: "./conf/x.json"},
	{name: "OPENCLAW_STATE_DIR with ~", env: map[string]string{"OPENCLAW_STATE_DIR": "~/st"}, stateDir: "~/st", config: "~/st/openclaw.json"},
	{name: "OPENCLAW_STATE_DIR does not fall back to ~/.openclaw", env: map[string]string{"OPENCLAW_STATE_DIR": "~/st"}, files: []string{"~/.openclaw/openclaw.json"}, stateDir: "~/st", config: "~/st/openclaw.json"},
	{name: "OPENCLAW_STATE_DIR legacy name inside", env: map[string]string{"OPENCLAW_STATE_DIR": "~/st"}, files: []string{"~/st/clawdbot.json"}, stateDir: "~/st", config: "~/st/clawdbot.json"},
	{name: "blank variables are unset", env: map[string]string{"OPENCLAW_STATE_DIR": "  ", "OPENCLAW_CONFIG_PATH": ""}, stateDir: "~/.openclaw", config: "~/.openclaw/openclaw.json"},
	{name: "OPENCLAW_PROFILE alone changes nothing", env: map[string]string{"OPENCLAW_PROFILE": "work"}, stateDir: "~/.openclaw", config: "~/.openclaw/openclaw.json"},
	{name: "OPENCLAW_HOME", env: map[string]string{"OPENCLAW_HOME": "~/oh"}, stateDir: "~/oh/.openclaw", config: "~/oh/.openclaw/openclaw.json"},
	{name: "OPENCLAW_HOME undefined is unset", env: map[string]string{"OPENCLAW_HOME": "undefined"}, stateDir: "~/.openclaw", config: "~/.openclaw/openclaw.json"},
	{name: "~ in OPENCLAW_STATE_DIR is OPENCLAW_HOME", env: map[string]string{"OPENCLAW_HOME": "~/oh", "OPENCLAW_STATE_DIR": "~/s"}, stateDir: "~/oh/s", config: "~/oh/s/openclaw.json"},
	{name: "~x is not a home path", env: map[string]string{"OPENCLAW_STATE_DIR": "~x/s"}, stateDir: "./~x/s", config: "./~x/s/openclaw.json"},
}

// expand turns "~/x" into home/x and "./x" into cwd/x.
func expand(p, home, cwd string) string {
	switch {
	case p == "~":
		return home
	case len(p) > 1 && p[:2] == "~/":
		return filepath.Join(home, p[2:])
	case len(p) > 1 && p[:2] == "./":
		return filepath.Join(cwd, p[2:])
	}
	return p
}

// setupLocate creates a case's home, files and environment. OPENCLAW_HOME
// and path variables may use "~" as the test home (only the OS home, HOME,
// is literal).
func setupLocate(t *testing.T, c locateCase) (env map[string]string, home, cwd string) {
	t.Helper()
	home = t.TempDir()
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	env = map[string]string{"HOME": home}
	for k, v := range c.env {
		env[k] = v
	}
	for _, f := range c.files {
		touch(t, expand(f, home, cwd))
	}
	for _, d := range c.dirs {
		mkdir(t, expand(d, home, cwd))
	}
	return env, home, cwd
}

func TestLocate(t *testing.T) {
	for _, c := range locateCases {
		t.Run(c.name, func(t *testing.T) {
			vars, home, cwd := setupLocate(t, c)
			env := envOf(vars)
			sd, err := StateDir(env)
			if err != nil || sd != expand(c.stateDir, home, cwd) {
				t.Errorf("StateDir = %q, %v; want %q", sd, err, expand(c.stateDir, home, cwd))
			}
			p, err := Locate(env)
			if err != nil || p != expand(c.config, home, cwd) {
				t.Errorf("Locate = %q, %v; want %q", p, err, expand(c.config, home, cwd))
			}
		})
	}
}

func TestHomeFallbacks(t *testing.T) {
	cwd, _ := os.Getwd()
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"HOME": "/h", "USERPROFILE": "/u"}, "/h/.openclaw"},
		{map[string]string{"HOME": " null ", "USERPROFILE": "/u"}, "/u/.openclaw"},
		{map[string]string{"PREFIX": "/data/data/com.termux/files/usr", "ANDROID_DATA": "/data"}, "/data/data/com.termux/files/home/.openclaw"},
		{map[string]string{"HOME": "/h", "OPENCLAW_HOME": "rel"}, filepath.Join(cwd, "rel", ".openclaw")},
		{map[string]string{"HOME": "/h", "OPENCLAW_HOME": "~"}, "/h/.openclaw"},
	} {
		got, err := StateDir(envOf(c.env))
		if err != nil || got != c.want {
			t.Errorf("StateDir(%v) = %q, %v; want %q", c.env, got, err, c.want)
		}
	}
}

func TestWithProfile(t *testing.T) {
	for _, c := range []struct {
		name          string
		env           map[string]string
		profile       string
		state, config string
	}{
		{"fresh", nil, "work", "/h/.openclaw-work", "/h/.openclaw-work/openclaw.json"},
		{"default profile", nil, "default", "/h/.openclaw", "/h/.openclaw/openclaw.json"},
		{"explicit state dir kept", map[string]string{"OPENCLAW_STATE_DIR": "/s"}, "work", "/s", "/s/openclaw.json"},
		{"explicit config kept", map[string]string{"OPENCLAW_CONFIG_PATH": "/c.json"}, "work", "/h/.openclaw-work", "/c.json"},
		{"leaving another profile's dirs", map[string]string{"OPENCLAW_PROFILE": "old", "OPENCLAW_STATE_DIR": "/h/.openclaw-old", "OPENCLAW_CONFIG_PATH": "/h/.openclaw-old/openclaw.json"}, "work", "/h/.openclaw-work", "/h/.openclaw-work/openclaw.json"},
	} {
		t.Run(c.name, func(t *testing.T) {
			vars := map[string]string{"HOME": "/h"}
			for k, v := range c.env {
				vars[k] = v
			}
			env, err := WithProfile(envOf(vars), c.profile)
			if err != nil {
				t.Fatal(err)
			}
			if p, _ := env("OPENCLAW_PROFILE"); p != c.profile {
				t.Errorf("OPENCLAW_PROFILE = %q", p)
			}
			if sd, err := StateDir(env); err != nil || sd != c.state {
				t.Errorf("StateDir = %q, %v; want %q", sd, err, c.state)
			}
			if p, err := Locate(env); err != nil || p != c.config {
				t.Errorf("Locate = %q, %v; want %q", p, err, c.config)
			}
		})
	}
	if _, err := WithProfile(envOf(nil), "bad name"); !errors.Is(err, ErrProfile) {
		t.Errorf("WithProfile(bad name): %v, want ErrProfile", err)
	}
}
