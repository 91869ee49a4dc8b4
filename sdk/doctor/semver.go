package doctor

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/execref/execref/sdk/lazyregexp"
)

// release is a version as builds record it: semantic versions (with or
// without the v, with a module's tag prefix such as "resolvers/sops/",
// Go's pseudo-versions among them) and what `git describe --tags` prints
// (v0.4.0-3-gabc1234, -dirty), which the Makefile stamps. The sdk module
// has no golang.org/x/mod to lean on, and the comparison is small.
type release struct {
	core [3]int
	pre  []string // semver pre-release identifiers; none sorts after any
	// ahead is how many commits past the tag `git describe` counted: a
	// describe suffix is no pre-release, it is later than the tag.
	ahead int
}

var (
	semverRE = lazyregexp.New(`^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$`)
	// describeRE is what `git describe` appends to a tag's pre-release
	// part: -N-g<hash> and -dirty, or a whole describe suffix.
	describeRE = lazyregexp.New(`(?:^|-)(?:(\d+)-g[0-9a-f]+)?(?:-?dirty)?$`)
)

// parseRelease reads a recorded version; ok is false for anything else
// (a bare commit hash, "dev", "(devel)").
func parseRelease(s string) (r release, ok bool) {
	if i := strings.LastIndex(s, "/"); i >= 0 {
		s = s[i+1:] // a module's tag: resolvers/sops/v0.4.0
	}
	m := semverRE().FindStringSubmatch(s)
	if m == nil {
		return release{}, false
	}
	for i := range r.core {
		n, err := strconv.Atoi(m[i+1])
		if err != nil {
			return release{}, false // out of int's range
		}
		r.core[i] = n
	}
	if pre := m[4]; pre != "" {
		if d := describeRE().FindStringSubmatchIndex(pre); d != nil && d[1] > d[0] {
			if d[2] >= 0 {
				r.ahead, _ = strconv.Atoi(pre[d[2]:d[3]])
			}
			pre = pre[:d[0]] // v0.4.0-rc.1-3-gabc: rc.1, 3 commits on
		}
		if pre != "" {
			r.pre = strings.Split(pre, ".")
		}
	}
	return r, true
}

// compare orders a and b: -1, 0 or +1, by semver precedence, a describe
// suffix counting as later than its tag.
func (a release) compare(b release) int {
	for i := range a.core {
		if c := cmp.Compare(a.core[i], b.core[i]); c != 0 {
			return c
		}
	}
	if c := comparePre(a.pre, b.pre); c != 0 {
		return c
	}
	return cmp.Compare(a.ahead, b.ahead)
}

// comparePre is semver's pre-release precedence: none ranks highest;
// numeric identifiers compare as numbers and rank below alphanumeric
// ones; a longer list wins when one is a prefix of the other.
func comparePre(a, b []string) int {
	switch {
	case len(a) == 0 && len(b) == 0:
		return 0
	case len(a) == 0:
		return 1
	case len(b) == 0:
		return -1
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		an, aErr := strconv.Atoi(a[i])
		bn, bErr := strconv.Atoi(b[i])
		var c int
		switch {
		case aErr == nil && bErr == nil:
			c = cmp.Compare(an, bn)
		case aErr == nil:
			c = -1
		case bErr == nil:
			c = 1
		default:
			c = strings.Compare(a[i], b[i])
		}
		if c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}
