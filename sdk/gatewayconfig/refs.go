package gatewayconfig

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/execref/execref/sdk/lazyregexp"
)

// Ref is one exec SecretRef object ({source: "exec", provider, id}) and
// where it sits in the config, a path as the gateway writes them:
// "models.providers.openai.apiKey", "channels.telegram.accounts[0].botToken",
// `agents["my agent"].token`.
type Ref struct {
	Path, Provider, ID string
	// Err is non-nil when the gateway's schema refuses this object as a
	// SecretRef (an unknown key, no provider, a provider or id outside the
	// grammar); it says which key and why, and wraps ErrInvalid.
	Err error
}

var (
	providerAlias = lazyregexp.New(`^[a-z][a-z0-9_-]{0,63}$`)
	execRefID     = lazyregexp.New(`^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$`)
	plainPathKey  = lazyregexp.New(`^[A-Za-z_$][A-Za-z0-9_$:-]*$`)
)

// collectRefs lists every exec SecretRef in the tree, in the order the
// gateway walks it: any object whose source is "exec" and that has a
// provider or an id, outside the provider blocks of secrets.providers.
func collectRefs(root any) []Ref {
	var refs []Ref
	var walk func(v any, path string, providerBlocks bool)
	walk = func(v any, path string, providerBlocks bool) {
		switch x := v.(type) {
		case []any:
			for i, e := range x {
				walk(e, indexPath(path, i), false)
			}
		case *object:
			if ref, ok := asExecRef(x, path); ok {
				refs = append(refs, ref)
				return
			}
			for _, k := range x.keys() {
				e, _ := x.get(k)
				if providerBlocks {
					continue // secrets.providers.NAME: a provider, not a ref
				}
				walk(e, keyPath(path, k), path == "secrets" && k == "providers")
			}
		}
	}
	walk(root, "", false)
	return refs
}

// asExecRef reads an object that means to be an exec SecretRef.
func asExecRef(o *object, path string) (Ref, bool) {
	source, _ := o.get("source")
	_, hasProvider := o.get("provider")
	_, hasID := o.get("id")
	if source != "exec" || !hasProvider && !hasID {
		return Ref{}, false
	}
	ref := Ref{Path: path}
	provider, providerIsString := o.vals["provider"].(string)
	id, idIsString := o.vals["id"].(string)
	ref.Provider, ref.ID = provider, id
	var problems []string
	for _, k := range o.keys() {
		if k != "source" && k != "provider" && k != "id" {
			problems = append(problems, fmt.Sprintf("unknown key %s (a SecretRef has exactly source, provider and id)", strconv.Quote(k)))
		}
	}
	switch {
	case !hasProvider:
		problems = append(problems, `no "provider": name the secrets.providers entry to ask`)
	case !providerIsString:
		problems = append(problems, fmt.Sprintf("provider %s is not a string", describe(o.vals["provider"])))
	case !providerAlias().MatchString(provider):
		problems = append(problems, fmt.Sprintf("provider %q: Secret reference provider must match /%s/ (example: \"default\").", provider, providerAlias()))
	}
	switch {
	case !hasID:
		problems = append(problems, `no "id"`)
	case !idIsString:
		problems = append(problems, fmt.Sprintf("id %s is not a string", describe(o.vals["id"])))
	default:
		if why := execIDProblem(id); why != "" {
			problems = append(problems, fmt.Sprintf("id %q: %s", id, why))
		}
	}
	if len(problems) > 0 {
		ref.Err = fmt.Errorf("%w: %s: %s", ErrInvalid, displayPath(path), strings.Join(problems, "; "))
	}
	return ref, true
}

// execIDProblem is the gateway's verdict on an exec ref id, "" if valid.
func execIDProblem(id string) string {
	valid := execRefID().MatchString(id)
	for _, seg := range strings.Split(id, "/") {
		if seg == "." || seg == ".." {
			valid = false
		}
	}
	if valid {
		return ""
	}
	return `Exec secret reference id must match /^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$/ and must not include "." or ".." path segments (example: "vault/openai/api-key" or "aws/secret#json_key").`
}

// keyPath appends an object key to a config path as the gateway does.
func keyPath(path, key string) string {
	switch {
	case !plainPathKey().MatchString(key):
		return path + "[" + jsQuote(key) + "]"
	case path == "":
		return key
	}
	return path + "." + key
}

// indexPath appends an array index to a config path.
func indexPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// displayPath names the document's root too.
func displayPath(path string) string {
	if path == "" {
		return "(the document)"
	}
	return path
}

// jsQuote is JSON.stringify of a string: unlike Go's encoder it leaves
// <, >, &, U+2028 and U+2029 alone.
func jsQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// describe shows a JSON value's type, or the value when it is short and
// not a string (strings may be secrets).
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return jsNumberString(x)
	case string:
		return fmt.Sprintf("(a string of %d characters)", len([]rune(x)))
	case []any:
		return "(an array)"
	case *object:
		return "(an object)"
	}
	return fmt.Sprintf("(%T)", v)
}

// jsNumberString is JavaScript's String(number).
func jsNumberString(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	if abs := math.Abs(f); abs >= 1e-6 && abs < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // 1.5e-07, 1e+21
	mant, exp, _ := strings.Cut(s, "e")
	sign := exp[:1]
	exp = strings.TrimLeft(exp[1:], "0")
	return mant + "e" + sign + exp
}
