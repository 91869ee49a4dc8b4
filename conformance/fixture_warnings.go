package conformance

import (
	"fmt"
	"strings"
)

// grammarSeparators are the characters of the gateway's id grammar that
// resolvers most often mishandle (cutting an id at '#', stripping a
// "prefix:"), with an id that shows each in use.
var grammarSeparators = []struct{ char, example string }{
	{":", "sm:prod/db"},
	{"#", "secret/db#password"},
}

// Warnings says what the fixture leaves untested that the gateway's id
// grammar allows. A warning never stops a run; the suite's generated ids
// (CORE-011, CORE-012) still probe these characters, but only the fixture
// can show that an id using them resolves to the right value.
func (f *Fixture) Warnings() []string {
	var out []string
	for _, s := range grammarSeparators {
		if !f.uses(s.char) {
			out = append(out, fmt.Sprintf(`no id in "values" or "invalid" contains %q, which the gateway's id grammar allows (as in %q): `+
				`list one the resolver resolves in "values", or one it refuses in "invalid"`, s.char, s.example))
		}
	}
	return out
}

// uses tells whether an id the fixture resolves or refuses contains char.
func (f *Fixture) uses(char string) bool {
	for _, id := range append(keys(f.Values), f.Invalid...) {
		if strings.Contains(id, char) {
			return true
		}
	}
	return false
}
