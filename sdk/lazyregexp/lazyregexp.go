// Package lazyregexp compiles a regular expression on its first use
// rather than at package init. Every run of every resolver links the SDK's
// packages, and most runs never use most of their expressions, while
// compiling them at start-up cost each run milliseconds and thousands of
// allocations (scripts/inittrace.sh measures what init costs). A bad
// expression still panics, on first use: a package's tests should use
// each of its expressions once.
package lazyregexp

import (
	"regexp"
	"sync"
)

// New returns a function that compiles expr the first time it is called
// and returns the same *regexp.Regexp ever after. Safe for concurrent use.
func New(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
