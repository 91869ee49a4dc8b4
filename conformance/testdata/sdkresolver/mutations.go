package main

import (
	"fmt"
	"os"
	"slices"
	"strings"
)

// mutation is one injected flaw (README.md). Each is a bug a backend
// built on the SDK can still have: the SDK takes care of the protocol,
// not of what a backend answers, of what it writes past the SDK, or of
// what it keeps between batches.
type mutation string

const (
	none            mutation = ""
	mangleUnicode   mutation = "mangle-unicode"        // non-ASCII runes of values become '?'
	cutAtHash       mutation = "cut-at-hash"           // ids are looked up up to their first '#'
	ambiguousAsMiss mutation = "ambiguous-as-notfound" // ambiguous ids get NOT_FOUND
	crashUnderscore mutation = "crash-on-underscore"   // a panic on an id with '_'
	stderrLeak      mutation = "stderr-leak"           // values written on the process's stderr, past the SDK
	warmFlip        mutation = "warm-flip"             // every other batch of a process answers unknown ids UNAVAILABLE
	unstableConfig  mutation = "unstable-config"       // a flag default computed at start-up: no agent ever matches
)

var mutations = []mutation{none, mangleUnicode, cutAtHash, ambiguousAsMiss, crashUnderscore, stderrLeak, warmFlip, unstableConfig}

func (m mutation) known() bool { return slices.Contains(mutations, m) }

// requested tells whether args ask for m. RegisterFlags runs before the
// flags are parsed, so unstable-config looks at the command line itself.
func (m mutation) requested(args []string) bool {
	return slices.Contains(args, string(m)) || slices.Contains(args, "--mutate="+string(m))
}

// readID is the id the lookup uses.
func (m mutation) readID(id string) string {
	if m == crashUnderscore && strings.Contains(id, "_") {
		panic(fmt.Sprintf("cannot parse id %q", id))
	}
	if m == cutAtHash {
		id, _, _ = strings.Cut(id, "#")
	}
	return id
}

// value is the value answered for id.
func (m mutation) value(id, v string) string {
	switch m {
	case mangleUnicode:
		return strings.Map(func(r rune) rune {
			if r > 0x7f {
				return '?'
			}
			return r
		}, v)
	case stderrLeak:
		fmt.Fprintf(os.Stderr, "resolved %s = %s\n", id, v)
	}
	return v
}
