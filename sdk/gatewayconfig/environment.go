package gatewayconfig

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// SourceEnvironment is Environment.Source for a variable the gateway's
// process inherits.
const SourceEnvironment = "environment"

// Environment is the gateway process's environment, the one passEnv copies
// from: its own variables plus those its .env files and its config's env
// block add, never overriding a variable already set.
type Environment struct {
	// Vars holds every variable that matters to the config, with the value
	// the gateway's process would have: the passEnv names of its exec
	// providers and every variable a .env file or the env block names
	// (whichever source won). Lookup also answers for any other variable of
	// the inherited environment.
	Vars map[string]string
	// Source says where each of Vars comes from: SourceEnvironment, a .env
	// file's path, or the config's path and key, e.g.
	// "/home/me/.openclaw/openclaw.json (env.vars.VAULT_ADDR)".
	Source map[string]string
	// Notes are what this package cannot reproduce or what the gateway
	// would do besides (a login-shell import, variables it ignores, a .env
	// that re-selects the state directory); for a person to read.
	Notes []string

	base Env
}

// Lookup finds a variable as the gateway's process would: set (possibly
// empty) or not.
func (e *Environment) Lookup(name string) (string, bool) {
	if v, ok := e.Vars[name]; ok {
		return v, true
	}
	return e.base.lookup(name)
}

// Origin is where a variable comes from: Source's entry, SourceEnvironment
// for another inherited variable, "" when unset.
func (e *Environment) Origin(name string) string {
	if s, ok := e.Source[name]; ok {
		return s
	}
	if _, ok := e.base.lookup(name); ok {
		return SourceEnvironment
	}
	return ""
}

func (e *Environment) set(name, value, source string) {
	e.Vars[name], e.Source[name] = value, source
}

func (e *Environment) note(format string, args ...any) {
	e.Notes = append(e.Notes, fmt.Sprintf(format, args...))
}

// GatewayEnv builds the environment of `openclaw gateway run` started with
// the environment env (nil: this process's) in the working directory cwd
// ("" for none), in the gateway's order, each source adding only what is
// still unset:
//
//  1. env itself;
//  2. cwd/.env, a lower-trust file: the gateway ignores provider
//     credentials, endpoint redirections, OPENCLAW_* settings and the
//     variables it never lets configuration set (Notes lists them);
//  3. StateDir/.env, then the .env beside the config if that is another
//     directory, then ~/.config/openclaw/gateway.env (unless
//     OPENCLAW_STATE_DIR moved the state away from ~/.openclaw); the first
//     file to name a variable wins;
//  4. cfg's env block (env.vars and env's other string entries), which
//     also fills variables set but blank; entries holding ${VAR}, blank
//     ones and variables such as LD_PRELOAD or HOME are not applied.
//
// A .env file the gateway would skip (not a regular file, over 1 MiB) is
// skipped with a note. env.shellEnv (or OPENCLAW_LOAD_SHELL_ENV) makes the
// gateway import missing credential variables from a login shell: this
// package runs no shell and says so in Notes.
func GatewayEnv(env Env, cwd string, cfg *Config) (*Environment, error) {
	if env == nil {
		env = os.LookupEnv
	}
	e := &Environment{Vars: map[string]string{}, Source: map[string]string{}, base: env}
	if cwd != "" {
		e.loadWorkspace(filepath.Join(cwd, ".env"))
	}
	if err := e.loadGlobal(); err != nil {
		return nil, err
	}
	if cfg != nil {
		e.applyConfig(cfg)
		for _, p := range cfg.Providers {
			for _, name := range p.PassEnv {
				e.inherit(name)
			}
		}
	}
	return e, nil
}

// inherit records an inherited variable in Vars, if set and not yet there.
func (e *Environment) inherit(name string) {
	if _, ok := e.Vars[name]; ok {
		return
	}
	if v, ok := e.base.lookup(name); ok {
		e.set(name, v, SourceEnvironment)
	}
}

func (e *Environment) loadWorkspace(path string) {
	entries, err := readDotEnv(path)
	if err != nil {
		e.skipped(path, err)
		return
	}
	var refused []string
	for _, en := range entries {
		if workspaceRefuses(en.key) {
			refused = append(refused, en.key)
			continue
		}
		if _, set := e.Lookup(en.key); set {
			e.inherit(en.key)
			continue
		}
		e.set(en.key, en.value, path)
	}
	if len(refused) > 0 {
		e.note("%s: the gateway ignores %s from the .env of its working directory (no provider credentials, endpoint redirections, OPENCLAW_* settings or protected variables there); put them in the environment or in the state directory's .env",
			path, strings.Join(refused, ", "))
	}
}

// loadGlobal reads the trusted .env files, first one wins, none
// overriding what is already set.
func (e *Environment) loadGlobal() error {
	files, err := globalDotEnvPaths(e.Lookup)
	if err != nil {
		return err
	}
	preset := map[string]bool{}
	firstFrom := map[string]string{}
	type conflict struct{ kept, ignored string }
	conflicts := map[conflict][]string{}
	var conflictOrder []conflict
	loaded := make([][]dotEnvEntry, len(files))
	for i, path := range files {
		entries, err := readDotEnv(path)
		if err != nil {
			e.skipped(path, err)
			continue
		}
		loaded[i] = entries
		for _, en := range entries {
			if _, set := e.Lookup(en.key); set {
				preset[en.key] = true
			}
		}
	}
	for i, path := range files {
		for _, en := range loaded[i] {
			if preset[en.key] {
				e.inherit(en.key)
				continue
			}
			if first, seen := firstFrom[en.key]; seen {
				if e.Vars[en.key] != en.value {
					c := conflict{first, path}
					if conflicts[c] == nil {
						conflictOrder = append(conflictOrder, c)
					}
					conflicts[c] = append(conflicts[c], en.key)
				}
				continue
			}
			firstFrom[en.key] = path
			e.set(en.key, en.value, path)
			if selectionKeys[strings.ToUpper(en.key)] {
				e.note("%s sets %s: the gateway then selects its state and config again with it and reads the .env files of that selection; this package reads no further .env files", path, en.key)
			}
		}
	}
	for _, c := range conflictOrder {
		keys := conflicts[c]
		sort.Strings(keys)
		e.note("Conflicting values in %s and %s for %s; keeping %s.", c.kept, c.ignored, strings.Join(keys, ", "), c.kept)
	}
	return nil
}

// globalDotEnvPaths are the gateway's trusted .env files, in order.
func globalDotEnvPaths(env Env) ([]string, error) {
	stateDir, err := StateDir(env)
	if err != nil {
		return nil, err
	}
	cfgDir, err := configDir(env)
	if err != nil {
		return nil, err
	}
	home, err := homeDir(env)
	if err != nil {
		return nil, err
	}
	stateEnv := filepath.Join(stateDir, ".env")
	files := []string{stateEnv}
	if other := filepath.Join(cfgDir, ".env"); other != stateEnv {
		files = append(files, other)
	}
	_, stateDirSet := env.lookup("OPENCLAW_STATE_DIR")
	if !stateDirSet || stateEnv == filepath.Join(home, stateDirName, ".env") {
		files = append(files, filepath.Join(home, ".config", "openclaw", "gateway.env"))
	}
	return files, nil
}

func (e *Environment) skipped(path string, err error) {
	if err == errDotEnvSkipped {
		return // missing: nothing to say
	}
	e.note("%s: skipped, as the gateway would (%v)", path, strings.TrimPrefix(err.Error(), errDotEnvSkipped.Error()+": "))
}

func (e *Environment) applyConfig(cfg *Config) {
	vars, order, from, shellEnv := cfg.envBlock()
	for _, k := range order {
		if cur, set := e.Lookup(k); set && jsTrim(cur) != "" {
			e.inherit(k)
			continue
		}
		e.set(k, vars[k], fmt.Sprintf("%s (%s)", cfg.Path, from[k]))
		if selectionKeys[strings.ToUpper(k)] {
			e.note("%s sets %s in its env block: the gateway then selects its state and config again with it; this package does not follow that", cfg.Path, k)
		}
	}
	loadShell := truthy(e.Lookup, "OPENCLAW_LOAD_SHELL_ENV")
	if (shellEnv || loadShell) && !truthy(e.Lookup, "OPENCLAW_DEFER_SHELL_ENV_FALLBACK") {
		why := "env.shellEnv.enabled is true"
		if !shellEnv {
			why = "OPENCLAW_LOAD_SHELL_ENV is set"
		}
		e.note("%s: the gateway also imports missing provider and channel credential variables (such as OPENAI_API_KEY) from a login shell; this package runs no shell, so those are not here", why)
	}
}

// truthy is the gateway's reading of a boolean variable.
func truthy(env Env, name string) bool {
	switch strings.ToLower(env.get(name)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}
