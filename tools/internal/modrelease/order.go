package modrelease

import (
	"fmt"
	"slices"
	"strings"
)

// dependencyOrder sorts modules so that each comes after every module it
// requires: a module's hash covers its go.sum, which holds the hashes of
// what it requires, so hashes can only be computed in this order. Ties
// keep directory order, so the order is stable from run to run.
func dependencyOrder(mods []Module, requires map[string][]string) ([]Module, error) {
	mods = slices.Clone(mods)
	slices.SortFunc(mods, func(a, b Module) int { return strings.Compare(a.Dir, b.Dir) })
	done := map[string]bool{}
	var out []Module
	for len(out) < len(mods) {
		progressed := false
		for _, m := range mods {
			if done[m.Path] || !allDone(requires[m.Path], done, mods) {
				continue
			}
			done[m.Path] = true
			out = append(out, m)
			progressed = true
		}
		if !progressed {
			var left []string
			for _, m := range mods {
				if !done[m.Path] {
					left = append(left, m.Dir)
				}
			}
			return nil, fmt.Errorf("%w: %s", ErrCycle, strings.Join(left, ", "))
		}
	}
	return out, nil
}

// allDone reports whether every requirement that is one of mods is done.
func allDone(reqs []string, done map[string]bool, mods []Module) bool {
	for _, r := range reqs {
		if !done[r] && slices.ContainsFunc(mods, func(m Module) bool { return m.Path == r }) {
			return false
		}
	}
	return true
}
