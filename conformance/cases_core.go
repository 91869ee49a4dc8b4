package conformance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
)

var coreCases = []Case{
	{ID: "CORE-001", Rationale: "a single id resolves to its exact value", check: func(c *checker) {
		id := c.fixture.valueIDs()[0]
		if r := c.answer(id); r != nil {
			c.expectValue(r, id, c.fixture.Values[id])
		}
	}},
	{ID: "CORE-002", Rationale: "every fixture value resolves in one batch, byte-exact", check: func(c *checker) {
		ids := c.fixture.valueIDs()
		if r := c.answer(ids...); r != nil {
			for _, id := range ids {
				c.expectValue(r, id, c.fixture.Values[id])
			}
		}
	}},
	{ID: "CORE-003", Rationale: "a batch of the gateway's maximum size (512 ids, long ids) is answered in full", check: func(c *checker) {
		ids := c.fixture.valueIDs()
		missing := c.fixture.derivedNotFound(host.MaxRefsPerProvider - len(ids))
		ids = append(ids, missing...)
		if size := len(c.request(ids...)); size > host.MaxBatchBytes {
			c.failf("fixture ids too long: the request is %d bytes, over the gateway's %d", size, host.MaxBatchBytes)
			return
		}
		if r := c.answer(ids...); r != nil {
			for id, want := range c.fixture.Values {
				c.expectValue(r, id, want)
			}
			for _, id := range missing {
				c.expectCode(r, id, protocol.NotFound)
			}
		}
	}},
	{ID: "CORE-004", Rationale: "duplicate ids in a request (other hosts may not de-duplicate) are answered once, consistently, exit 0", check: func(c *checker) {
		id, missing := c.fixture.valueIDs()[0], c.fixture.NotFound[0]
		if r := c.answer(id, missing, id, missing); r != nil {
			c.expectValue(r, id, c.fixture.Values[id])
			c.expectCode(r, missing, protocol.NotFound)
		}
	}},
	{ID: "CORE-005", Rationale: "an unknown id is NOT_FOUND for that id only: the others still resolve and the exit status is 0", check: func(c *checker) {
		id := c.fixture.valueIDs()[0]
		if r := c.answer(append([]string{id}, c.fixture.NotFound...)...); r != nil {
			c.expectValue(r, id, c.fixture.Values[id])
			for _, m := range c.fixture.NotFound {
				c.expectCode(r, m, protocol.NotFound)
			}
		}
	}},
	{ID: "CORE-006", Rationale: "ids outside the gateway's grammar get INVALID_ID, never a value, and do not fail the batch", check: func(c *checker) {
		id := c.fixture.valueIDs()[0]
		if r := c.answer(append([]string{id}, grammarInvalidIDs...)...); r != nil {
			c.expectValue(r, id, c.fixture.Values[id])
			for _, bad := range grammarInvalidIDs {
				c.expectCode(r, bad, protocol.InvalidID)
			}
		}
	}},
	{ID: "CORE-007", Rationale: "an empty ids array is answered with empty values, exit 0", check: func(c *checker) {
		if r := c.answer(); r != nil && (len(r.values) != 0 || len(r.errors) != 0) {
			c.failf("want no values and no errors, got %d values and %d errors", len(r.values), len(r.errors))
		}
	}},
	{ID: "CORE-008", Rationale: "ids that match more than one value get AMBIGUOUS_DUPLICATE_KEY", check: func(c *checker) {
		c.expectCodes(c.fixture.Ambiguous, protocol.AmbiguousDuplicateKey, "ambiguous")
	}},
	{ID: "CORE-009", Rationale: "ids outside the target's own id syntax get INVALID_ID", check: func(c *checker) {
		c.expectCodes(c.fixture.Invalid, protocol.InvalidID, "invalid")
	}},
}

// grammarInvalidIDs break the gateway's id contract, each in its own way.
var grammarInvalidIDs = []string{"has space", "../escape", "a/./b", "a/../b", ".hidden", "q?x=1", "user@host", "100%", "-dash"}

// expectCodes asks a value id with ids and checks that each fails with code.
func (c *checker) expectCodes(ids []string, code protocol.Code, field string) {
	if len(ids) == 0 {
		c.skipf("the fixture lists no %s ids", field)
		return
	}
	id := c.fixture.valueIDs()[0]
	if r := c.answer(append([]string{id}, ids...)...); r != nil {
		c.expectValue(r, id, c.fixture.Values[id])
		for _, bad := range ids {
			c.expectCode(r, bad, code)
		}
	}
}

// valueIDs returns the ids with expected values, sorted, so runs are
// repeatable.
func (f *Fixture) valueIDs() []string {
	return slices.Sorted(slices.Values(keys(f.Values)))
}

// derivedNotFound makes n more ids that must not exist: the first NotFound
// id, padding towards 200 characters (so the batch is large in bytes too),
// and a counter.
func (f *Fixture) derivedNotFound(n int) []string {
	base := f.NotFound[0] + "-" + strings.Repeat("x", max(0, 190-len(f.NotFound[0])))
	out := make([]string, 0, max(n, 0))
	for i := range max(n, 0) {
		out = append(out, fmt.Sprintf("%s-%04d", base, i))
	}
	return out
}
