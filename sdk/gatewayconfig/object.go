package gatewayconfig

import (
	"sort"
	"strconv"
)

// object is a JSON5 object that remembers its keys in the order
// JavaScript enumerates them, so that Refs come out in the order the
// gateway walks the document. Values are object, []any, string, float64,
// bool or nil.
type object struct {
	order []string // insertion order of first appearance
	vals  map[string]any
}

func newObject() *object { return &object{vals: map[string]any{}} }

// set adds or replaces a key. A replaced key keeps its place, as with
// JavaScript's Object.defineProperty on an existing property: a duplicate
// key's last value wins, at the first one's position.
func (o *object) set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.order = append(o.order, k)
	}
	o.vals[k] = v
}

func (o *object) get(k string) (any, bool) {
	v, ok := o.vals[k]
	return v, ok
}

func (o *object) len() int { return len(o.order) }

// keys lists the keys as Object.keys does: array-index keys ("0", "7",
// "42") first in ascending numeric order, then the others in insertion
// order.
func (o *object) keys() []string {
	var index, named []string
	for _, k := range o.order {
		if isArrayIndex(k) {
			index = append(index, k)
		} else {
			named = append(named, k)
		}
	}
	sort.Slice(index, func(i, j int) bool {
		a, _ := strconv.ParseUint(index[i], 10, 32)
		b, _ := strconv.ParseUint(index[j], 10, 32)
		return a < b
	})
	return append(index, named...)
}

// isArrayIndex: a canonical decimal integer below 2^32-1, which is what
// JavaScript orders first among an object's keys.
func isArrayIndex(k string) bool {
	if k == "" || len(k) > 10 || (len(k) > 1 && k[0] == '0') {
		return false
	}
	n, err := strconv.ParseUint(k, 10, 64)
	return err == nil && n < 1<<32-1
}

// plain converts a tree of objects into plain Go values (map[string]any).
func plain(v any) any {
	switch x := v.(type) {
	case *object:
		m := make(map[string]any, len(x.vals))
		for k, e := range x.vals {
			m[k] = plain(e)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	}
	return v
}

// ordered converts plain Go values into objects. Maps carry no order, so
// their keys are taken in sorted order (array indices first, as
// JavaScript would list them).
func ordered(v any) any {
	switch x := v.(type) {
	case *object:
		return x
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		o := newObject()
		for _, k := range keys {
			o.set(k, ordered(x[k]))
		}
		o.order = o.keys()
		return o
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = ordered(e)
		}
		return out
	case []string:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	case map[string]string:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = e
		}
		return ordered(m)
	case int:
		return float64(x)
	}
	return v
}
