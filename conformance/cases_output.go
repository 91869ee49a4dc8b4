package conformance

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

var outputCases = []Case{
	{ID: "OUTPUT-001", Rationale: "stdout is exactly one JSON object: no logs, banners or second documents", check: func(c *checker) {
		c.answer(c.fixture.valueIDs()[0], c.fixture.NotFound[0])
	}},
	{ID: "OUTPUT-002", Rationale: "the response answers exactly the ids asked, no others", check: func(c *checker) {
		ids := c.fixture.valueIDs()
		if len(ids) > 1 {
			ids = ids[:len(ids)/2] // leave some known ids unasked
		}
		c.answer(append(ids, c.fixture.NotFound[0])...)
	}},
	{ID: "OUTPUT-003", Rationale: "values with unicode, newlines, quotes, backslashes or PEM size survive byte-exact", check: func(c *checker) {
		var special []string
		for _, id := range c.fixture.valueIDs() {
			if isSpecial(c.fixture.Values[id]) {
				special = append(special, id)
			}
		}
		if len(special) == 0 {
			c.skipf("the fixture has no value with non-ASCII, control or quote characters, or of 1 KiB or more")
			return
		}
		if r := c.answer(special...); r != nil {
			for _, id := range special {
				c.expectValue(r, id, c.fixture.Values[id])
			}
		}
	}},
	{ID: "OUTPUT-004", Rationale: "the output of a full batch stays within maxOutputBytes, past which the gateway kills the resolver", check: func(c *checker) {
		ids := append(c.fixture.valueIDs(), c.fixture.NotFound...)
		if r := c.answer(ids...); r != nil {
			// Over go-plugin, r.output is -1: the runner refuses an answer
			// over the limit itself, and answer would have failed.
			limit := c.provider.Limits().MaxOutputBytes
			if n := r.output; n > limit {
				c.failf("stdout+stderr is %d bytes, over maxOutputBytes %d", n, limit)
			}
		}
	}},
	{ID: "OUTPUT-005", Rationale: "the response validates against the protocol's JSON Schema", check: func(c *checker) {
		ids := append(c.fixture.valueIDs(), c.fixture.NotFound[0], grammarInvalidIDs[0])
		run, err := c.exec(c.request(ids...))
		if err != nil {
			c.runFailed(run, err)
			return
		}
		if err := validateResponse(run.Stdout); err != nil {
			c.failBecause("the response does not match response.schema.json", "%v (%s)", err, c.runFacts(run, nil))
		}
	}},
}

// isSpecial reports whether a value exercises encoding: anything beyond
// printable ASCII, JSON's escaped characters, or a PEM-sized length.
func isSpecial(v string) bool {
	if len(v) >= 1024 || strings.ContainsAny(v, "\"\\\n\r\t") {
		return true
	}
	return bytes.IndexFunc([]byte(v), func(r rune) bool { return r >= utf8.RuneSelf || r < ' ' }) >= 0
}
