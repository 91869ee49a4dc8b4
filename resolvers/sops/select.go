package sops

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	gosops "github.com/getsops/sops/v3"

	"github.com/execref/execref/protocol"
)

// selectValue walks the first document of a decrypted file along path and
// renders what it finds as a secret string.
func (r *Resolver) selectValue(doc gosops.TreeBranches, f file, path []string) (string, error) {
	if len(doc) == 0 {
		return "", fmt.Errorf("%w: %s is empty", protocol.NotFound, f.label())
	}
	var node any = doc[0]
	if f.format == "binary" && len(path) == 0 {
		path = []string{"data"} // sops keeps a binary file's bytes under "data"
	}
	for i, seg := range path {
		at := strings.Join(path[:i], "/")
		switch n := node.(type) {
		case gosops.TreeBranch:
			v, ok := member(n, seg)
			if !ok {
				return "", fmt.Errorf("%w: no key %q at %q in %s", protocol.NotFound, seg, "/"+at, f.label())
			}
			node = v
		case []any:
			n = withoutComments(n)
			idx, err := strconv.Atoi(seg)
			if err != nil || idx < 0 || strconv.Itoa(idx) != seg {
				return "", fmt.Errorf("%w: %q in %s is a list; %q is not an index", protocol.NotFound, "/"+at, f.label(), seg)
			}
			if idx >= len(n) {
				return "", fmt.Errorf("%w: %q in %s has %d items, no index %d", protocol.NotFound, "/"+at, f.label(), len(n), idx)
			}
			node = n[idx]
		default:
			return "", fmt.Errorf("%w: %q in %s is a value, not a map or list: no %q in it", protocol.NotFound, "/"+at, f.label(), seg)
		}
	}
	return r.render(node, "/"+strings.Join(path, "/"), f)
}

// withoutComments drops the comments sops keeps among a YAML list's items,
// so that indices count values only.
func withoutComments(list []any) []any {
	out := make([]any, 0, len(list))
	for _, e := range list {
		if _, comment := e.(gosops.Comment); !comment {
			out = append(out, e)
		}
	}
	return out
}

// member finds a key in a map, skipping comments.
func member(b gosops.TreeBranch, key string) (any, bool) {
	for _, item := range b {
		if _, comment := item.Key.(gosops.Comment); comment {
			continue
		}
		k, isString := item.Key.(string)
		if !isString {
			k = fmt.Sprint(item.Key) // numbers and booleans as keys
		}
		if k == key {
			return item.Value, true
		}
	}
	return nil, false
}

// render turns a selected node into a secret string: scalars as their
// text, maps and lists only as JSON when --json asks for it.
func (r *Resolver) render(node any, at string, f file) (string, error) {
	switch v := node.(type) {
	case string:
		return v, nil
	case bool, int, int64, uint64, float64:
		return scalarText(v), nil
	case time.Time:
		return v.Format(time.RFC3339Nano), nil
	case nil:
		return "", fmt.Errorf("%w: %q in %s is null", protocol.InvalidValue, at, f.label())
	case gosops.TreeBranch, []any:
		if !r.jsonValues {
			return "", fmt.Errorf("%w: %q in %s is a %s; ask for one of its members, or pass --json to get it as JSON", protocol.InvalidValue, at, f.label(), kind(v))
		}
		var buf bytes.Buffer
		writeJSON(&buf, v)
		return buf.String(), nil
	}
	return "", fmt.Errorf("%w: %q in %s holds a %T, which has no text form", protocol.InvalidValue, at, f.label(), node)
}

func kind(v any) string {
	if b, ok := v.(gosops.TreeBranch); ok {
		return fmt.Sprintf("map of %d keys", len(b))
	}
	return fmt.Sprintf("list of %d items", len(withoutComments(v.([]any))))
}

func scalarText(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// writeJSON renders a node as JSON, keeping the document's key order.
func writeJSON(buf *bytes.Buffer, node any) {
	switch n := node.(type) {
	case gosops.TreeBranch:
		buf.WriteByte('{')
		first := true
		for _, item := range n {
			if _, comment := item.Key.(gosops.Comment); comment {
				continue
			}
			if !first {
				buf.WriteByte(',')
			}
			first = false
			key, _ := json.Marshal(fmt.Sprint(item.Key))
			buf.Write(key)
			buf.WriteByte(':')
			writeJSON(buf, item.Value)
		}
		buf.WriteByte('}')
	case []any:
		buf.WriteByte('[')
		for i, e := range withoutComments(n) {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeJSON(buf, e)
		}
		buf.WriteByte(']')
	case time.Time:
		b, _ := json.Marshal(n.Format(time.RFC3339Nano))
		buf.Write(b)
	default:
		b, err := json.Marshal(n)
		if err != nil {
			b = []byte("null")
		}
		buf.Write(b)
	}
}
