package conformance

import (
	"strings"

	"github.com/execref/execref/sdk/redact"
)

var securityCases = []Case{
	{ID: "SEC-001", Rationale: "no value ever appears on stderr (the gateway discards it, but other hosts and wrappers log it)", check: func(c *checker) {
		if r := c.answerAll(); r != nil {
			if leaked := c.leaked(string(r.stderr)); leaked != "" {
				c.failBecause("stderr holds a value", "stderr holds the value of %s", idText(leaked))
			}
		}
	}},
	{ID: "SEC-002", Rationale: "no value ever appears in an error message (the gateway hides messages, other hosts show them)", check: func(c *checker) {
		if r := c.answerAll(); r != nil {
			for id, e := range r.errors {
				if leaked := c.leaked(e.Message); leaked != "" {
					c.failBecause("an error message holds a value", "the message for %s holds the value of %s", idText(id), idText(leaked))
				}
			}
		}
	}},
}

// answerAll asks for every id the fixture knows, of every kind, and one
// outside the gateway's grammar, so that every code path of the target
// prints what it prints. Not that last one over go-plugin: its runner
// refuses the whole call for it, as the gateway does, and the resolver
// never sees it.
func (c *checker) answerAll() *response {
	f := c.fixture
	ids := append(f.valueIDs(), f.NotFound...)
	ids = append(append(ids, f.Ambiguous...), f.Invalid...)
	if c.transport != Plugin {
		ids = append(ids, grammarInvalidIDs[0])
	}
	return c.answer(ids...)
}

// leaked returns the id whose value text contains, raw or escaped, or "".
func (c *checker) leaked(text string) string {
	for _, id := range c.fixture.valueIDs() {
		if v := c.fixture.Values[id]; c.containsSecret(text, v) {
			return id
		}
	}
	return ""
}

// containsSecret holds when redaction would change text because of v.
func (c *checker) containsSecret(text, v string) bool {
	return len(strings.TrimSpace(v)) > 0 && c.redactorFor(v).String(text) != text
}

func (c *checker) redactorFor(v string) *redact.Redactor {
	var r redact.Redactor
	r.Add(v)
	return &r
}
