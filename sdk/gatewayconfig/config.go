package gatewayconfig

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/execref/execref/sdk/host"
)

// Config is what the gateway reads from openclaw.json for secrets.
//
// Decode checks the secrets section and every exec SecretRef against the
// gateway's schema; the gateway validates the rest of the file too, which
// this package does not.
type Config struct {
	Path string
	// Providers are the secrets.providers entries with source "exec" and a
	// command, decoded as the gateway's schema does. A block the schema
	// refuses is in Invalid instead.
	Providers map[string]host.Provider
	// Invalid holds the provider blocks the gateway would refuse (unknown
	// keys, wrong types, limits), by name; each is a *ProviderError that
	// says which key and why.
	Invalid map[string]error
	// Other maps the providers of other sources (env, file, store) to their
	// source.
	Other map[string]string
	// Plugins are the exec providers a plugin publishes
	// ({source: "exec", pluginIntegration: {...}}).
	Plugins map[string]PluginIntegration
	// Resolution is the gateway's batching limits. openclaw 2026.9 fixed
	// them (4 providers at once, 512 ids and 262144 bytes per request):
	// it refuses a secrets.resolution section (an entry in Issues).
	Resolution Resolution
	// Refs is every exec SecretRef in the config, in document order (the
	// order the gateway walks it) when the Config comes from Load; Decode
	// of plain maps, which keep no order, walks keys in sorted order.
	Refs []Ref
	// Issues are the other problems that make the gateway refuse the
	// config, such as an unknown key in secrets; each names where and why
	// and wraps ErrInvalid.
	Issues []error
	// Includes are the files $include brought in, in the order read.
	Includes []string
	// Missing lists the ${NAME} references whose variable was unset or
	// empty when the config was substituted (LoadGateway, Substitute); the
	// gateway keeps such a string as written.
	Missing []MissingVar

	source any // the document before ${VAR} substitution (for the env block)
}

// Resolution is the gateway's limits on exec batches.
type Resolution struct{ MaxProviderConcurrency, MaxRefsPerProvider, MaxBatchBytes int }

// DefaultResolution is the gateway's fixed limits.
var DefaultResolution = Resolution{
	MaxProviderConcurrency: host.MaxProviderConcurrency,
	MaxRefsPerProvider:     host.MaxRefsPerProvider,
	MaxBatchBytes:          host.MaxBatchBytes,
}

// Load reads openclaw.json as the gateway does: the file as UTF-8, parsed
// by ParseJSON5, $include directives resolved (with OPENCLAW_INCLUDE_ROOTS
// from this process's environment), then Decode. No ${VAR} is substituted:
// LoadGateway does the whole load, environment included. An empty path is
// Locate(os.LookupEnv).
//
// The error wraps ErrNotFound (no file), ErrSyntax (a *SyntaxError naming
// line and column) or ErrInvalid (an $include that fails, a document that
// is not an object); other read errors are returned as they are, with the
// path.
func Load(path string) (*Config, error) {
	return load(path, os.LookupEnv)
}

func load(path string, env Env) (*Config, error) {
	if path == "" {
		located, err := Locate(env)
		if err != nil {
			return nil, err
		}
		path = located
	}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%w: %s does not exist", ErrNotFound, path)
	case err != nil:
		return nil, fmt.Errorf("reading openclaw config: %w", err)
	}
	root, err := parseJSON5(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	roots, err := includeRoots(env)
	if err != nil {
		return nil, err
	}
	inc := newIncluder(path, roots)
	root, err = inc.resolve(root)
	if err != nil {
		return nil, err
	}
	cfg, err := Decode(path, root)
	if err != nil {
		return nil, err
	}
	cfg.Includes = inc.files
	return cfg, nil
}

// LoadGateway loads the config as the gateway process does, in its order:
// the environment of a gateway started with env in the working directory
// cwd, .env files included (GatewayEnv); the config at path (or where
// Locate finds it in that environment when path is ""); its env block
// added to the environment; then ${VAR} references substituted from that
// environment. env nil is this process's environment.
func LoadGateway(path string, env Env, cwd string) (*Config, *Environment, error) {
	if env == nil {
		env = os.LookupEnv
	}
	base, err := GatewayEnv(env, cwd, nil)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := load(path, base.Lookup)
	if err != nil {
		return nil, base, err
	}
	full, err := GatewayEnv(env, cwd, cfg)
	if err != nil {
		return nil, base, err
	}
	cfg, err = cfg.Substitute(full.Lookup)
	return cfg, full, err
}

// Substitute returns the config with every ${NAME} in its strings
// replaced from env, as the gateway does when it loads the file (see
// MissingVar for unset ones), decoded again.
func (c *Config) Substitute(env Env) (*Config, error) {
	var missing []MissingVar
	tree := substitute(c.source, env, "", &missing)
	out, err := decode(c.Path, c.source, tree)
	if err != nil {
		return nil, err
	}
	out.Includes, out.Missing = c.Includes, missing
	return out, nil
}

// Decode reads the gateway's secrets settings from a parsed document (as
// ParseJSON5 returns it). It reads no file: a document that still holds
// $include directives is refused (ErrInvalid); Load resolves them. Its
// error wraps ErrInvalid and is only for a document whose secrets cannot
// be read at all; what the gateway would refuse within them is reported
// in the Config.
func Decode(path string, root any) (*Config, error) {
	root = ordered(root)
	return decode(path, root, root)
}

func decode(path string, source, tree any) (*Config, error) {
	doc, ok := tree.(*object)
	if !ok {
		return nil, fmt.Errorf("%w: %s: the document is %s, not an object", ErrInvalid, path, describe(tree))
	}
	if at, found := findInclude(doc, ""); found {
		return nil, fmt.Errorf("%w: %s: $include at %s: Decode reads no files; Load resolves $include as the gateway does", ErrInvalid, path, displayPath(at))
	}
	c := &Config{
		Path:       path,
		Providers:  map[string]host.Provider{},
		Invalid:    map[string]error{},
		Other:      map[string]string{},
		Plugins:    map[string]PluginIntegration{},
		Resolution: DefaultResolution,
		source:     source,
	}
	c.decodeSecrets(doc)
	c.decodeEnv(doc)
	c.Refs = collectRefs(doc)
	return c, nil
}

func (c *Config) issue(path, format string, args ...any) {
	c.Issues = append(c.Issues, fmt.Errorf("%w: %s: %s", ErrInvalid, path, fmt.Sprintf(format, args...)))
}

// decodeSecrets reads the secrets section, a strict object of
// egressProxy, providers and defaults.
func (c *Config) decodeSecrets(doc *object) {
	v, present := doc.get("secrets")
	if !present {
		return
	}
	secrets, ok := v.(*object)
	if !ok {
		c.issue("secrets", "must be an object, got %s", describe(v))
		return
	}
	for _, k := range secrets.keys() {
		switch k {
		case "providers", "defaults":
		case "egressProxy":
			if _, ok := secrets.vals[k].(*object); !ok {
				c.issue("secrets.egressProxy", "must be an object, got %s", describe(secrets.vals[k]))
			}
		case "resolution":
			c.issue("secrets.resolution", "openclaw 2026.9 refuses this section (Unrecognized key: \"resolution\"): its limits are fixed at %d providers at once, %d refs per provider and %d bytes per request; delete it (openclaw doctor --fix does)",
				DefaultResolution.MaxProviderConcurrency, DefaultResolution.MaxRefsPerProvider, DefaultResolution.MaxBatchBytes)
		default:
			c.issue(keyPath("secrets", k), "unknown key (secrets holds providers, defaults and egressProxy)")
		}
	}
	c.decodeDefaults(secrets)
	pv, present := secrets.get("providers")
	if !present {
		return
	}
	providers, ok := pv.(*object)
	if !ok {
		c.issue("secrets.providers", "must be an object, got %s", describe(pv))
		return
	}
	for _, name := range providers.keys() {
		b := decodeProvider(providers.vals[name])
		switch {
		case len(b.problems) > 0:
			c.Invalid[name] = &ProviderError{Provider: name, Problems: b.problems}
		case b.plugin != nil:
			c.Plugins[name] = *b.plugin
		case b.source == SourceExec:
			c.Providers[name] = b.exec
		default:
			c.Other[name] = b.source
		}
	}
}

func (c *Config) decodeDefaults(secrets *object) {
	v, present := secrets.get("defaults")
	if !present {
		return
	}
	defaults, ok := v.(*object)
	if !ok {
		c.issue("secrets.defaults", "must be an object, got %s", describe(v))
		return
	}
	for _, k := range defaults.keys() {
		path := keyPath("secrets.defaults", k)
		switch k {
		case SourceEnv, SourceFile, SourceExec, SourceStore:
			alias, isString := defaults.vals[k].(string)
			switch {
			case !isString:
				c.issue(path, "must be a provider name, got %s", describe(defaults.vals[k]))
			case !providerAlias().MatchString(alias):
				c.issue(path, "%q must match /%s/", alias, providerAlias())
			}
		default:
			c.issue(path, "unknown key (defaults are env, file, exec and store)")
		}
	}
}

// decodeEnv checks the env section: a strict object of vars (strings)
// and shellEnv ({enabled, timeoutMs}).
func (c *Config) decodeEnv(doc *object) {
	v, present := doc.get("env")
	if !present {
		return
	}
	env, ok := v.(*object)
	if !ok {
		c.issue("env", "must be an object, got %s", describe(v))
		return
	}
	for _, k := range env.keys() {
		switch k {
		case "vars":
			vars, ok := env.vals[k].(*object)
			if !ok {
				c.issue("env.vars", "must be an object of strings, got %s", describe(env.vals[k]))
				continue
			}
			for _, name := range vars.keys() {
				if _, isString := vars.vals[name].(string); !isString {
					c.issue(keyPath("env.vars", name), "must be a string, got %s", describe(vars.vals[name]))
				}
			}
		case "shellEnv":
			shell, ok := env.vals[k].(*object)
			if !ok {
				c.issue("env.shellEnv", "must be an object, got %s", describe(env.vals[k]))
				continue
			}
			for _, sk := range shell.keys() {
				sv := shell.vals[sk]
				switch f, isNumber := sv.(float64); sk {
				case "enabled":
					if _, isBool := sv.(bool); !isBool {
						c.issue("env.shellEnv.enabled", "must be true or false, got %s", quoteIfString(sv))
					}
				case "timeoutMs":
					if !isNumber || f < 0 || f != math.Trunc(f) || math.IsInf(f, 0) {
						c.issue("env.shellEnv.timeoutMs", "must be an integer of 0 or more, got %s", quoteIfString(sv))
					}
				default:
					c.issue(keyPath("env.shellEnv", sk), "unknown key (shellEnv holds enabled and timeoutMs)")
				}
			}
		default:
			c.issue(keyPath("env", k), "unknown key: variables go under env.vars")
		}
	}
}

// envBlock is the config's env section as the gateway applies it to its
// process environment: env.vars entries, then the other top-level string
// entries of env (a later one replacing an earlier one of the same name),
// each kept only when the gateway allows it; the source of each, and
// whether env.shellEnv.enabled is true.
func (c *Config) envBlock() (vars map[string]string, order []string, from map[string]string, shellEnv bool) {
	vars, from = map[string]string{}, map[string]string{}
	doc, _ := c.source.(*object)
	if doc == nil {
		return
	}
	env, _ := doc.vals["env"].(*object)
	if env == nil {
		return
	}
	add := func(rawKey string, v any, where string) {
		value, ok := v.(string)
		if !ok || jsTrim(value) == "" {
			return
		}
		key := strings.TrimSpace(rawKey)
		if !portableName().MatchString(key) || !configEnvAllows(key, value) {
			return
		}
		if _, seen := vars[key]; !seen {
			order = append(order, key)
		}
		vars[key], from[key] = value, where
	}
	if block, ok := env.vals["vars"].(*object); ok {
		for _, k := range block.keys() {
			add(k, block.vals[k], keyPath("env.vars", k))
		}
	}
	for _, k := range env.keys() {
		if k != "shellEnv" && k != "vars" {
			add(k, env.vals[k], keyPath("env", k))
		}
	}
	if shell, ok := env.vals["shellEnv"].(*object); ok {
		shellEnv = shell.vals["enabled"] == true
	}
	return
}

// ProviderNames lists the exec providers' names, sorted.
func (c *Config) ProviderNames() []string {
	names := make([]string, 0, len(c.Providers))
	for n := range c.Providers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
