package gatewayconfig

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/execref/execref/sdk/lazyregexp"
)

// Env looks a variable up in some environment (os.LookupEnv for the
// process's).
type Env func(name string) (string, bool)

// File and directory names the gateway looks for, newest first.
const (
	configFileName       = "openclaw.json"
	legacyConfigFileName = "clawdbot.json"
	stateDirName         = ".openclaw"
	legacyStateDirName   = ".clawdbot"
)

// lookup is env(name), nothing set in a nil Env.
func (e Env) lookup(name string) (string, bool) {
	if e == nil {
		return "", false
	}
	return e(name)
}

// get is the variable trimmed, "" when unset or blank, as the gateway
// reads its path variables (env.X?.trim()).
func (e Env) get(name string) string {
	v, _ := e.lookup(name)
	return strings.TrimSpace(v)
}

// StateDir is the OpenClaw state directory as openclaw@2026.9.6 finds it:
// OPENCLAW_STATE_DIR (a leading ~ is the home below; relative paths are
// taken from the current directory), else ~/.openclaw, or the legacy
// ~/.clawdbot when only that one exists. The home is OPENCLAW_HOME (itself
// may start with ~, the OS home), else HOME, USERPROFILE, Termux's home,
// the account's home directory, and lastly the current directory.
//
// OPENCLAW_PROFILE alone changes nothing here, as in the gateway: the
// CLI's --profile flag selects a profile by setting OPENCLAW_STATE_DIR and
// OPENCLAW_CONFIG_PATH (see WithProfile), and an installed service has both
// in its environment.
func StateDir(env Env) (string, error) {
	if override := env.get("OPENCLAW_STATE_DIR"); override != "" {
		return homeRelative(env, override)
	}
	home, err := homeDir(env)
	if err != nil {
		return "", err
	}
	current := filepath.Join(home, stateDirName)
	if fastTest(env) || exists(current) {
		return current, nil
	}
	if legacy := filepath.Join(home, legacyStateDirName); exists(legacy) {
		return legacy, nil
	}
	return current, nil
}

// Locate is the path of openclaw.json as the gateway finds it (and as
// `openclaw config file` prints it): OPENCLAW_CONFIG_PATH; else
// openclaw.json, or the legacy clawdbot.json, in StateDir, whichever
// exists first; else, with OPENCLAW_STATE_DIR unset, the first of
// ~/.openclaw/openclaw.json, ~/.openclaw/clawdbot.json,
// ~/.clawdbot/openclaw.json and ~/.clawdbot/clawdbot.json that exists;
// else StateDir's openclaw.json. The file need not exist.
//
// The gateway reads its .env files before it looks, and they may set
// these variables; pass (*Environment).Lookup to honour them.
func Locate(env Env) (string, error) {
	if override := env.get("OPENCLAW_CONFIG_PATH"); override != "" {
		return homeRelative(env, override)
	}
	stateDir, err := StateDir(env)
	if err != nil {
		return "", err
	}
	canonical := filepath.Join(stateDir, configFileName)
	if fastTest(env) {
		return canonical, nil
	}
	for _, name := range []string{configFileName, legacyConfigFileName} {
		if p := filepath.Join(stateDir, name); exists(p) {
			return p, nil
		}
	}
	if env.get("OPENCLAW_STATE_DIR") != "" {
		return canonical, nil
	}
	home, err := homeDir(env)
	if err != nil {
		return "", err
	}
	for _, dir := range []string{stateDirName, legacyStateDirName} {
		for _, name := range []string{configFileName, legacyConfigFileName} {
			if p := filepath.Join(home, dir, name); exists(p) {
				return p, nil
			}
		}
	}
	return canonical, nil
}

// configDir is where the gateway looks for the .env beside its config:
// OPENCLAW_STATE_DIR, else the directory of OPENCLAW_CONFIG_PATH, else
// ~/.openclaw (no legacy fallback, unlike StateDir).
func configDir(env Env) (string, error) {
	if override := env.get("OPENCLAW_STATE_DIR"); override != "" {
		return homeRelative(env, override)
	}
	if p := env.get("OPENCLAW_CONFIG_PATH"); p != "" {
		abs, err := homeRelative(env, p)
		return filepath.Dir(abs), err
	}
	home, err := homeDir(env)
	return filepath.Join(home, stateDirName), err
}

var profileName = lazyregexp.New(`(?i)^[a-z0-9][a-z0-9_-]{0,63}$`)

// ErrProfile is an invalid profile name.
var ErrProfile = errors.New(`invalid profile name (use letters, numbers, "_", "-" only, at most 64)`)

// WithProfile is env as the gateway's CLI leaves it for `openclaw --profile
// NAME ...` (--dev is the profile "dev"): OPENCLAW_PROFILE is NAME, and
// OPENCLAW_STATE_DIR and OPENCLAW_CONFIG_PATH point at ~/.openclaw-NAME
// (~/.openclaw for "default") unless they were set for another purpose
// than the profile being left.
func WithProfile(env Env, profile string) (Env, error) {
	profile = strings.TrimSpace(profile)
	if !profileName().MatchString(profile) {
		return nil, fmt.Errorf("%w: %q", ErrProfile, profile)
	}
	inherited := env.get("OPENCLAW_PROFILE")
	if inherited == "" {
		inherited = "default"
	}
	if !profileName().MatchString(inherited) {
		return nil, fmt.Errorf("%w: OPENCLAW_PROFILE=%q", ErrProfile, inherited)
	}
	inheritedDir, err := profileStateDir(env, inherited)
	if err != nil {
		return nil, err
	}
	selectedDir, err := profileStateDir(env, profile)
	if err != nil {
		return nil, err
	}
	existingState, existingConfig := env.get("OPENCLAW_STATE_DIR"), env.get("OPENCLAW_CONFIG_PATH")
	switches := inheritedDir != selectedDir
	resolvesTo := func(p, want string) bool {
		abs, err := homeRelative(env, p)
		return err == nil && abs == want
	}
	leavesState := existingState != "" && switches && resolvesTo(existingState, inheritedDir)
	leavesConfig := switches && (existingState == "" || leavesState) && existingConfig != "" &&
		resolvesTo(existingConfig, filepath.Join(inheritedDir, configFileName))
	// An installed service's selectors all point at the profile it leaves.
	service := switches && serviceEnv(env) && leavesState && leavesConfig

	set := map[string]string{"OPENCLAW_PROFILE": profile}
	retained := existingState
	if service {
		retained = ""
	}
	stateDir := selectedDir
	if retained != "" && !leavesState {
		stateDir = retained
	}
	if retained == "" || leavesState {
		set["OPENCLAW_STATE_DIR"] = stateDir
	}
	if !service && (existingConfig == "" || leavesConfig) {
		set["OPENCLAW_CONFIG_PATH"] = filepath.Join(stateDir, configFileName)
	}
	return overlay(env, set), nil
}

func profileStateDir(env Env, profile string) (string, error) {
	home, err := homeDir(env)
	if err != nil {
		return "", err
	}
	if strings.EqualFold(profile, "default") {
		return filepath.Join(home, stateDirName), nil
	}
	return filepath.Join(home, stateDirName+"-"+profile), nil
}

func serviceEnv(env Env) bool {
	kind := env.get("OPENCLAW_SERVICE_KIND")
	return env.get("OPENCLAW_SERVICE_MARKER") == "openclaw" && (kind == "" || kind == "gateway")
}

// overlay is env with some variables set.
func overlay(env Env, set map[string]string) Env {
	return func(name string) (string, bool) {
		if v, ok := set[name]; ok {
			return v, true
		}
		return env.lookup(name)
	}
}

// homeDir is the gateway's effective home (resolveRequiredHomeDir).
func homeDir(env Env) (string, error) {
	if home := effectiveHome(env); home != "" {
		return filepath.Abs(home)
	}
	cwd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("no OpenClaw home: set OPENCLAW_HOME, HOME or USERPROFILE, or run from an existing directory: %w", err)
	}
	return cwd, nil
}

// effectiveHome is OPENCLAW_HOME, expanded, else the OS home; "" if none.
func effectiveHome(env Env) string {
	explicit := homeValue(env, "OPENCLAW_HOME")
	if explicit == "" {
		return osHome(env)
	}
	if explicit == "~" || strings.HasPrefix(explicit, "~/") || strings.HasPrefix(explicit, `~\`) {
		base := osHome(env)
		if base == "" {
			return ""
		}
		return base + explicit[1:]
	}
	return explicit
}

// osHome is HOME, USERPROFILE, Termux's home or the account's home
// directory (Node's os.homedir(), which reads the password database once
// HOME is unset); "" if none.
func osHome(env Env) string {
	for _, name := range []string{"HOME", "USERPROFILE"} {
		if v := homeValue(env, name); v != "" {
			return v
		}
	}
	if prefix := homeValue(env, "PREFIX"); prefix != "" && homeValue(env, "ANDROID_DATA") != "" && termuxPrefix().MatchString(strings.ReplaceAll(prefix, `\`, "/")) {
		return filepath.Join(prefix, "..", "home")
	}
	if u, err := user.Current(); err == nil {
		return strings.TrimSpace(u.HomeDir)
	}
	return ""
}

var termuxPrefix = lazyregexp.New(`(?:^|/)com\.termux/files/usr/?$`)

// homeValue reads a home variable: blank, "undefined" and "null" are unset.
func homeValue(env Env, name string) string {
	v := env.get(name)
	if v == "undefined" || v == "null" {
		return ""
	}
	return v
}

// homeRelative resolves a user-supplied path as the gateway does: trimmed,
// a leading "~" (alone or before a slash) replaced by the home, then made
// absolute against the current directory.
func homeRelative(env Env, p string) (string, error) {
	p = strings.TrimSpace(p)
	if p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		home, err := homeDir(env)
		if err != nil {
			return "", err
		}
		p = home + p[1:]
	}
	return filepath.Abs(p)
}

// fastTest is the gateway's own test-suite shortcut, which skips the
// existence checks; honoured so that a gateway run under it is mirrored.
func fastTest(env Env) bool {
	vitest, _ := env.lookup("VITEST")
	_, pool := env.lookup("VITEST_POOL_ID")
	_, worker := env.lookup("VITEST_WORKER_ID")
	nodeEnv, _ := env.lookup("NODE_ENV")
	fast, _ := env.lookup("OPENCLAW_TEST_FAST")
	return fast == "1" && (vitest == "true" || vitest == "1" || pool || worker || nodeEnv == "test")
}

// exists is fs.existsSync: the path (followed through symlinks) exists,
// whatever it is.
func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
