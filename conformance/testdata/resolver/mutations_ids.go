package main

import (
	"fmt"
	"slices"
	"strings"
)

// readID is how the resolver turns an id into the key it looks up: the id
// itself, unless a mutation reads it the way buggy resolvers do. Each flaw
// hides behind a fixture whose ids do not use the character involved.
func (m mutation) readID(id string) string {
	switch m {
	case crashOnUnderscore:
		if strings.Contains(id, "_") {
			// Like a resolver that splits "name_field" and indexes the
			// second part unconditionally.
			panic(fmt.Sprintf("unexpected id segment in %q", id))
		}
	case crashOn256:
		if len(id) == 256 {
			// Like a resolver with a 255-character buffer: an off-by-one
			// against the grammar's {0,255} after the first character.
			panic(fmt.Sprintf("id of %d characters overflows a 255-character buffer", len(id)))
		}
	case cutAtHash:
		id, _, _ = strings.Cut(id, "#") // drops a selector it does not understand
	case stripPrefix:
		if _, rest, ok := strings.Cut(id, ":"); ok {
			id = rest // drops a "prefix:" it does not understand
		}
	}
	return id
}

// loose is the prefix-match flaw: the first fixture id, in sort order,
// that key is a prefix of (like a shell "$id"* glob or grep "^$id"), or
// that is a prefix of key up to a '/' (like a path walk that stops at the
// first value it meets). Only for a key the fixture does not hold, so the
// fixture's own ids still resolve. A prefix at any other boundary would
// give "db#x" the value of "db", which CORE-012 already catches.
func (f *fixture) loose(key string) string {
	ids := make([]string, 0, len(f.Values))
	for id := range f.Values {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if strings.HasPrefix(id, key) || strings.HasPrefix(key, id+"/") {
			return id
		}
	}
	return key
}
