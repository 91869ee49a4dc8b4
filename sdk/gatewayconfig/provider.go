package gatewayconfig

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/lazyregexp"
)

// PluginIntegration is an exec provider that a plugin publishes
// ({source: "exec", pluginIntegration: {pluginId, integrationId}}): the
// gateway builds its command from the plugin's manifest, which this
// package does not read.
type PluginIntegration struct{ PluginID, IntegrationID string }

// ProviderError is a provider block the gateway's config schema refuses.
// It wraps ErrInvalid and host.ErrInvalidConfig.
type ProviderError struct {
	Provider string
	Problems []string // each names the key and says why, e.g. `timeoutMs: must be an integer from 1 to 120000, got 0`
}

func (e *ProviderError) Error() string {
	return keyPath("secrets.providers", e.Provider) + ": " + strings.Join(e.Problems, "; ")
}

func (e *ProviderError) Unwrap() []error { return []error{ErrInvalid, host.ErrInvalidConfig} }

// The sources a provider may have.
const (
	SourceEnv   = "env"
	SourceFile  = "file"
	SourceExec  = "exec"
	SourceStore = "store"
)

// The gateway's grammar for environment variable names in passEnv and
// env allowlists.
var envName = lazyregexp.New(`^[A-Z][A-Z0-9_]{0,127}$`)

// Schema bounds the gateway puts on file providers.
const (
	maxFileTimeoutMs = 120000
	maxFileBytes     = 20 << 20
	maxAllowlist     = 256
	maxPluginIDLen   = 128
)

// providerBlock is one decoded entry of secrets.providers.
type providerBlock struct {
	source   string
	exec     host.Provider
	plugin   *PluginIntegration
	problems []string
}

// schema collects the problems of one block, each prefixed by its key.
type schema struct{ problems []string }

func (s *schema) add(key, format string, args ...any) {
	s.problems = append(s.problems, key+": "+fmt.Sprintf(format, args...))
}

// decodeProvider checks a provider block against the gateway's schema
// (secrets.providers.* is a union of strict objects, one per source) and
// decodes an exec one into a host.Provider.
func decodeProvider(v any) providerBlock {
	var s schema
	o, ok := v.(*object)
	if !ok {
		s.add("(block)", "must be an object, got %s", describe(v))
		return providerBlock{problems: s.problems}
	}
	source, _ := o.vals["source"].(string)
	b := providerBlock{source: source}
	switch source {
	case SourceExec:
		if _, ok := o.get("pluginIntegration"); ok {
			b.plugin = decodePluginIntegration(&s, o)
		} else {
			b.exec = decodeExec(&s, o)
		}
	case SourceEnv:
		s.keys(o, "source", "allowlist")
		s.stringList(o, "allowlist", maxAllowlist, func(key, v string) {
			if !envName().MatchString(v) {
				s.add(key, "%q must match %s", v, envName())
			}
		})
	case SourceFile:
		s.keys(o, "source", "path", "mode", "timeoutMs", "maxBytes")
		if p, ok := s.str(o, "path", true); ok && p == "" {
			s.add("path", "must not be empty")
		}
		if m, ok := s.str(o, "mode", false); ok && m != "singleValue" && m != "json" {
			s.add("mode", `must be "singleValue" or "json", got %q`, m)
		}
		s.integer(o, "timeoutMs", maxFileTimeoutMs)
		s.integer(o, "maxBytes", maxFileBytes)
	case SourceStore:
		s.keys(o, "source")
	default:
		if raw, present := o.get("source"); present {
			s.add("source", `must be "env", "file", "exec" or "store", got %s`, quoteIfString(raw))
		} else {
			s.add("source", `missing: one of "env", "file", "exec" or "store"`)
		}
	}
	b.problems = s.problems
	return b
}

func decodeExec(s *schema, o *object) host.Provider {
	s.keys(o, "source", "command", "args", "timeoutMs", "noOutputTimeoutMs", "maxOutputBytes", "jsonOnly", "env", "passEnv", "trustedDirs")
	p := host.Provider{Source: SourceExec}
	if cmd, ok := s.str(o, "command", true); ok {
		p.Command = cmd
		if jsLength(cmd) < 1 {
			s.add("command", "must not be empty")
		} else {
			if !safeExecutable(cmd) {
				s.add("command", "secrets.providers.*.command is unsafe. (no quotes, line breaks or shell characters ;&|`$<>)")
			}
			if !absolutePath(cmd) {
				s.add("command", "secrets.providers.*.command must be an absolute path.")
			}
		}
	}
	p.Args = s.stringList(o, "args", host.MaxArgs, func(key, v string) {
		if n := jsLength(v); n > host.MaxArgLength {
			s.add(key, "is %d characters long, at most %d allowed", n, host.MaxArgLength)
		}
	})
	p.TimeoutMs = s.integer(o, "timeoutMs", host.MaxTimeoutMs)
	p.NoOutputTimeoutMs = s.integer(o, "noOutputTimeoutMs", host.MaxTimeoutMs)
	p.MaxOutputBytes = s.integer(o, "maxOutputBytes", host.MaxOutputBytesLimit)
	if v, ok := o.get("jsonOnly"); ok {
		if b, isBool := v.(bool); isBool {
			p.JSONOnly = &b
		} else {
			s.add("jsonOnly", "must be true or false, got %s", quoteIfString(v))
		}
	}
	if v, ok := o.get("env"); ok {
		if env, isObject := v.(*object); isObject {
			p.Env = map[string]string{}
			for _, k := range env.keys() {
				if val, isString := env.vals[k].(string); isString {
					p.Env[k] = val
				} else {
					s.add(keyPath("env", k), "must be a string, got %s", describe(env.vals[k]))
				}
			}
		} else {
			s.add("env", "must be an object of strings, got %s", describe(v))
		}
	}
	p.PassEnv = s.stringList(o, "passEnv", host.MaxPassEnv, func(key, v string) {
		if !envName().MatchString(v) {
			s.add(key, "%q must match %s", v, envName())
		}
	})
	p.TrustedDirs = s.stringList(o, "trustedDirs", host.MaxTrustedDirs, func(key, v string) {
		if v == "" || !absolutePath(v) {
			s.add(key, "%q: trustedDirs entries must be absolute paths.", v)
		}
	})
	return p
}

func decodePluginIntegration(s *schema, o *object) *PluginIntegration {
	s.keys(o, "source", "pluginIntegration")
	pi, ok := o.vals["pluginIntegration"].(*object)
	if !ok {
		s.add("pluginIntegration", "must be an object {pluginId, integrationId}, got %s", describe(o.vals["pluginIntegration"]))
		return nil
	}
	inner := schema{}
	inner.keys(pi, "pluginId", "integrationId")
	out := &PluginIntegration{}
	for _, f := range []struct {
		key string
		dst *string
	}{{"pluginId", &out.PluginID}, {"integrationId", &out.IntegrationID}} {
		key, dst := f.key, f.dst
		if v, ok := inner.str(pi, key, true); ok {
			*dst = v
			if n := jsLength(v); n < 1 || n > maxPluginIDLen {
				inner.add(key, "must be 1 to %d characters long, got %d", maxPluginIDLen, n)
			}
		}
	}
	for _, p := range inner.problems {
		s.problems = append(s.problems, "pluginIntegration."+p)
	}
	return out
}

// keys refuses keys outside allowed, as the schema's strict objects do.
func (s *schema) keys(o *object, allowed ...string) {
	for _, k := range o.keys() {
		known := false
		for _, a := range allowed {
			known = known || k == a
		}
		if known {
			continue
		}
		why := "unknown key"
		switch k {
		case "allowSymlinkCommand", "allowInsecurePath":
			why = "unknown key: openclaw 2026.9 removed this opt-out (a command must be a regular file, not a symlink, with safe permissions); delete it"
		}
		s.add(keyPath("", k), "%s", why)
	}
}

// str reads a string key; ok is false when it is absent (a problem if
// required) or not a string (a problem).
func (s *schema) str(o *object, key string, required bool) (string, bool) {
	v, present := o.get(key)
	if !present {
		if required {
			s.add(key, "missing")
		}
		return "", false
	}
	str, ok := v.(string)
	if !ok {
		s.add(key, "must be a string, got %s", describe(v))
	}
	return str, ok
}

// integer reads an optional integer key bounded to 1..max (0 if absent).
func (s *schema) integer(o *object, key string, max int) int {
	v, present := o.get(key)
	if !present {
		return 0
	}
	f, ok := v.(float64)
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) || f != math.Trunc(f) || f < 1 || f > float64(max) {
		s.add(key, "must be an integer from 1 to %d, got %s", max, quoteIfString(v))
		return 0
	}
	return int(f)
}

// stringList reads an optional array of at most max strings, checking
// each with check.
func (s *schema) stringList(o *object, key string, max int, check func(key, v string)) []string {
	v, present := o.get(key)
	if !present {
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		s.add(key, "must be an array of strings, got %s", describe(v))
		return nil
	}
	if len(arr) > max {
		s.add(key, "has %d entries, at most %d allowed", len(arr), max)
	}
	out := make([]string, 0, len(arr))
	for i, e := range arr {
		item := indexPath(key, i)
		str, isString := e.(string)
		if !isString {
			s.add(item, "must be a string, got %s", describe(e))
			continue
		}
		check(item, str)
		out = append(out, str)
	}
	return out
}

// safeExecutable is the gateway's check that a command cannot smuggle
// shell syntax: no NUL, line break, quote or ;&|`$<>; a path, or a bare
// name not starting with "-".
func safeExecutable(v string) bool {
	t := jsTrim(v)
	if t == "" || strings.ContainsAny(t, "\x00\r\n\"';&|`$<>") {
		return false
	}
	if strings.HasPrefix(t, ".") || strings.HasPrefix(t, "~") || strings.ContainsAny(t, `/\`) || windowsDrivePath().MatchString(t) {
		return true
	}
	return !strings.HasPrefix(t, "-") && bareName().MatchString(t)
}

var (
	bareName         = lazyregexp.New(`^[A-Za-z0-9._+-]+$`)
	windowsDrivePath = lazyregexp.New(`^[A-Za-z]:[\\/]`)
	windowsUNCPath   = lazyregexp.New(`^\\\\[^\\]+\\[^\\]+`)
)

// absolutePath is the schema's test, which also admits Windows forms:
// the value as written, untrimmed.
func absolutePath(v string) bool {
	return filepath.IsAbs(v) || windowsDrivePath().MatchString(v) || windowsUNCPath().MatchString(v)
}

// jsLength is a string's length in UTF-16 code units, as the schema counts.
func jsLength(s string) int { return len(utf16.Encode([]rune(s))) }

// quoteIfString shows a wrong value: a string is quoted, anything else
// described. Only used for fields that hold no secrets (numbers, sources,
// booleans).
func quoteIfString(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return describe(v)
}
