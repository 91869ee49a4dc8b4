package sops

import (
	"fmt"
	"strconv"
	"strings"

	gosops "github.com/getsops/sops/v3"

	"github.com/execref/execref/protocol"
)

// lookup walks the first document of a file along path and returns what
// is there. It maps a segment to an item only when that item is the one
// the segment names, exactly:
//
//   - in a map, a segment matches a key equal to it byte for byte. Keys
//     are strings (sops refuses any other), so nothing is converted, and
//     comments are not keys;
//   - a key that a map holds more than once (JSON and dotenv files, and
//     INI sections, may repeat one) is AMBIGUOUS_DUPLICATE_KEY: sops would
//     take the first, most other readers the last, and guessing could
//     answer another item's value;
//   - in a list, a segment matches only the canonical decimal index of an
//     item ("0", "12"; not "00", "+1" or "-0"), counting values, not
//     comments.
//
// Anything else is NOT_FOUND, naming the segment and where it was missing.
func lookup(doc gosops.TreeBranches, f file, path []string) (any, error) {
	if len(doc) == 0 {
		return nil, fmt.Errorf("%w: %s is empty", protocol.NotFound, f.label())
	}
	var node any = doc[0]
	for i, seg := range path {
		at := "/" + strings.Join(path[:i], "/")
		switch n := node.(type) {
		case gosops.TreeBranch:
			v, matches := member(n, seg)
			switch {
			case matches == 0:
				return nil, fmt.Errorf("%w: no key %q at %q in %s", protocol.NotFound, seg, at, f.label())
			case matches > 1:
				return nil, fmt.Errorf("%w: key %q appears %s at %q in %s", protocol.AmbiguousDuplicateKey, seg, times(matches), at, f.label())
			}
			node = v
		case []any:
			n = withoutComments(n)
			idx, ok := index(seg)
			if !ok {
				return nil, fmt.Errorf("%w: %q in %s is a list; %q is not an index", protocol.NotFound, at, f.label(), seg)
			}
			if idx >= len(n) {
				return nil, fmt.Errorf("%w: %q in %s has %s, no index %d", protocol.NotFound, at, f.label(), count(len(n), "item"), idx)
			}
			node = n[idx]
		default:
			return nil, fmt.Errorf("%w: %q in %s is a value, not a map or list: no %q in it", protocol.NotFound, at, f.label(), seg)
		}
	}
	return node, nil
}

// member finds key in a map: the value of its first occurrence, and how
// many times it occurs.
func member(b gosops.TreeBranch, key string) (value any, matches int) {
	for _, item := range b {
		if k, isString := item.Key.(string); isString && k == key {
			if matches == 0 {
				value = item.Value
			}
			matches++
		}
	}
	return value, matches
}

// index reads a list index written canonically: decimal digits, no sign,
// no leading zero (but "0" itself).
func index(seg string) (int, bool) {
	idx, err := strconv.Atoi(seg)
	if err != nil || idx < 0 || strconv.Itoa(idx) != seg {
		return 0, false
	}
	return idx, true
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

// count says "1 key", "2 keys".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// times says "twice", "3 times".
func times(n int) string {
	if n == 2 {
		return "twice"
	}
	return strconv.Itoa(n) + " times"
}
