package sops

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	gosops "github.com/getsops/sops/v3"

	"github.com/execref/execref/protocol"
)

// render turns a selected node into a secret string: scalars as the sops
// CLI prints them, maps and lists only as JSON when --json asks for it.
func (r *Resolver) render(node any, at string, f file) (string, error) {
	switch v := node.(type) {
	case string:
		return v, nil
	case bool, int, int64, uint64, float64:
		text, err := scalarText(v, f.format)
		if err != nil {
			return "", fmt.Errorf("%w: %q in %s is a %T, which a %s file cannot print", protocol.InvalidValue, at, f.label(), v, f.format)
		}
		return text, nil
	case time.Time:
		// What the YAML emitter writes for a timestamp, the only format
		// whose store makes one.
		return v.Format(time.RFC3339Nano), nil
	case nil:
		return "", fmt.Errorf("%w: %q in %s is null", protocol.InvalidValue, at, f.label())
	case gosops.TreeBranch, []any:
		if !r.jsonValues {
			return "", fmt.Errorf("%w: %q in %s is a %s; ask for one of its members, or pass --json to get it as JSON", protocol.InvalidValue, at, f.label(), kind(v))
		}
		var buf bytes.Buffer
		if err := writeJSON(&buf, v, at); err != nil {
			return "", fmt.Errorf("%w in %s", err, f.label())
		}
		return buf.String(), nil
	}
	return "", fmt.Errorf("%w: %q in %s holds a %T, which has no text form", protocol.InvalidValue, at, f.label(), node)
}

// scalarText prints a number or a boolean as `sops -d --extract` does:
// through the emitter of the file's own format, so that 1e21 reads
// "1e+21" and not 22 digits, and a YAML and a JSON file each read as sops
// shows them. The newline a YAML document ends with is not part of the
// value.
func scalarText(v any, format string) (string, error) {
	out, err := storeFor(format).EmitValue(v)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(out), "\n"), nil
}

// kind says what a map or list is: "map of 1 key", "list of 3 items".
func kind(v any) string {
	if b, ok := v.(gosops.TreeBranch); ok {
		n := 0
		for _, item := range b {
			if _, comment := item.Key.(gosops.Comment); !comment {
				n++
			}
		}
		return "map of " + count(n, "key")
	}
	return "list of " + count(len(withoutComments(v.([]any))), "item")
}

// writeJSON renders a node as JSON, keeping the document's key order. What
// has no faithful JSON text is an error rather than an approximation: a
// map that holds a key twice (readers of JSON would keep one of the
// values: AMBIGUOUS_DUPLICATE_KEY), and an infinite or NaN number
// (INVALID_VALUE). at is the node's path, for the message.
func writeJSON(buf *bytes.Buffer, node any, at string) error {
	switch n := node.(type) {
	case gosops.TreeBranch:
		buf.WriteByte('{')
		seen := map[string]bool{}
		for _, item := range n {
			if _, comment := item.Key.(gosops.Comment); comment {
				continue
			}
			k := fmt.Sprint(item.Key)
			if seen[k] {
				return fmt.Errorf("%w: key %q appears more than once at %q", protocol.AmbiguousDuplicateKey, k, at)
			}
			if len(seen) > 0 {
				buf.WriteByte(',')
			}
			seen[k] = true
			key, _ := json.Marshal(k)
			buf.Write(key)
			buf.WriteByte(':')
			if err := writeJSON(buf, item.Value, strings.TrimSuffix(at, "/")+"/"+k); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case []any:
		buf.WriteByte('[')
		for i, e := range withoutComments(n) {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeJSON(buf, e, fmt.Sprintf("%s/%d", strings.TrimSuffix(at, "/"), i)); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case time.Time:
		b, _ := json.Marshal(n.Format(time.RFC3339Nano))
		buf.Write(b)
	default:
		b, err := json.Marshal(n)
		if err != nil {
			return fmt.Errorf("%w: %q holds a %T that JSON cannot represent", protocol.InvalidValue, at, n)
		}
		buf.Write(b)
	}
	return nil
}
