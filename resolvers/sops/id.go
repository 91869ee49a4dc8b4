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
	if rest == "" {
		return r, nil
	}
	r.path = strings.Split(rest, "/")
	for _, seg := range r.path {
		if seg == "" {
			return r, fmt.Errorf("%w: %q has an empty path segment (a leading, trailing or doubled '/')", protocol.InvalidID, id)
		}
	}
	return r, nil
}
