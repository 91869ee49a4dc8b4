package conformance

import "github.com/execref/execref/protocol"

// aliasCases check that the provider alias, which the user chooses, does
// not change the answers. The same binary often runs under several
// aliases (vault-prod, vault-dev); a resolver that insists on the alias of
// its own documentation fails every ref of the others ("exited with code
// N").
var aliasCases = []Case{
	{ID: "CORE-013", Rationale: "a request naming another provider alias (the user picks it) gets the same answers", check: func(c *checker) {
		alias := otherAlias(c.fixture.Name)
		id, missing := c.fixture.valueIDs()[0], c.fixture.NotFound[0]
		r, fail := c.tryAs(alias, []string{id, missing})
		if fail != nil {
			c.failBecause(fail.cause, "with provider alias %q: %s", alias, fail.text)
			return
		}
		c.expectValue(r, id, c.fixture.Values[id])
		c.expectCode(r, missing, protocol.NotFound)
	}},
}

// otherAlias is a valid provider alias that differs from name.
func otherAlias(name string) string {
	if name == "conformance-alias" {
		return "conformance-alias-2"
	}
	return "conformance-alias"
}
