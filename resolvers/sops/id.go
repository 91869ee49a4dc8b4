package sops

import (
	"fmt"
	"strings"

	"github.com/execref/execref/protocol"
)

// ref is a parsed id: which file, and the path inside its document.
type ref struct {
	alias string
	path  []string // keys or list indices; empty selects the whole document
	// shadow is the top-level key of the default file that the id would
	// start with if its alias were not one, set when the id has an alias
	// and a default file exists: with a file "prod", "prod:x/y" names
	// "/x/y" in that file, but it is also how "/prod:x/y" of the default
	// file would be asked for. When the default file has a key "prod:x",
	// the id is ambiguous.
	shadow string
}

// parseID reads [ALIAS:]PATH. The text before the first ':' is an alias
// only when a file of that name is configured; otherwise the whole id is a
// path in the default file, so keys holding ':' stay reachable there.
func parseID(id string, aliases map[string]file) (ref, error) {
	r := ref{}
	rest := id
	if alias, path, ok := strings.Cut(id, ":"); ok {
		if _, known := aliases[alias]; known && alias != "" {
			r.alias, rest = alias, path
		}
	}
	if _, ok := aliases[r.alias]; !ok {
		return r, fmt.Errorf("%w: %q names no configured file and there is no default file (--file PATH)", protocol.InvalidID, id)
	}
	if rest != "" {
		r.path = strings.Split(rest, "/")
		if hasEmptySegment(r.path) {
			return r, fmt.Errorf("%w: %q has an empty path segment (a leading, trailing or doubled '/')", protocol.InvalidID, id)
		}
	}
	if _, hasDefault := aliases[""]; hasDefault && r.alias != "" {
		r.shadow, _, _ = strings.Cut(id, "/")
	}
	return r, nil
}

func hasEmptySegment(path []string) bool {
	for _, seg := range path {
		if seg == "" {
			return true
		}
	}
	return false
}
