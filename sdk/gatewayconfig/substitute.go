package gatewayconfig

import (
	"strings"

	"github.com/execref/execref/sdk/lazyregexp"
)

// MissingVar is a ${NAME} reference in a config string whose variable is
// unset or empty. The gateway then keeps the text "${NAME}" as it is and
// warns (`missing env var "NAME" at PATH`).
type MissingVar struct {
	Path string // where the string sits, e.g. "models.providers.openai.apiKey"
	Name string
}

var envVarName = lazyregexp.New(`^[A-Z_][A-Z0-9_]*$`)

// envToken finds the ${NAME} or $${NAME} token at s[i] ('$'): escaped is
// true for $${NAME}, which stands for the text ${NAME}; end is the index of
// its '}'. ok is false when no token starts there.
func envToken(s string, i int) (name string, escaped bool, end int, ok bool) {
	start := i + 2
	switch {
	case strings.HasPrefix(s[i:], "$${"):
		start, escaped = i+3, true
	case strings.HasPrefix(s[i:], "${"):
	default:
		return "", false, 0, false
	}
	close := strings.IndexByte(s[start:], '}')
	if close < 0 {
		return "", false, 0, false
	}
	name = s[start : start+close]
	if !envVarName().MatchString(name) {
		return "", false, 0, false
	}
	return name, escaped, start + close, true
}

// containsEnvReference: s holds an unescaped ${NAME}.
func containsEnvReference(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '$' {
			continue
		}
		if _, escaped, end, ok := envToken(s, i); ok {
			if !escaped {
				return true
			}
			i = end
		}
	}
	return false
}

// substituteString replaces ${NAME} by the variable's value, as the
// gateway does in every config string when it loads the file: only
// upper-case names; $${NAME} is the literal text ${NAME}; an unset or
// empty variable leaves ${NAME} as written and is reported to missing.
func substituteString(s string, lookup Env, path string, missing *[]MissingVar) string {
	if !strings.Contains(s, "$") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' {
			b.WriteByte(s[i])
			continue
		}
		name, escaped, end, ok := envToken(s, i)
		switch {
		case !ok:
			b.WriteByte('$')
			continue
		case escaped:
			b.WriteString("${" + name + "}")
		default:
			if v, set := lookup.lookup(name); set && v != "" {
				b.WriteString(v)
			} else {
				*missing = append(*missing, MissingVar{Path: path, Name: name})
				b.WriteString("${" + name + "}")
			}
		}
		i = end
	}
	return b.String()
}

// substitute applies substituteString to every string value of the tree
// (keys are left alone), returning a new tree.
func substitute(v any, lookup Env, path string, missing *[]MissingVar) any {
	switch x := v.(type) {
	case string:
		return substituteString(x, lookup, path, missing)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = substitute(e, lookup, indexPath(path, i), missing)
		}
		return out
	case *object:
		out := newObject()
		for _, k := range x.keys() {
			e, _ := x.get(k)
			out.set(k, substitute(e, lookup, keyPath(path, k), missing))
		}
		return out
	}
	return v
}
