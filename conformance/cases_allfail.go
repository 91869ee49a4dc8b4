package conformance

import (
	"slices"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
)

// allFailCases send batches in which no id resolves. A resolver that builds
// "values" only from what it found, and omits it when it found nothing,
// passes every batch that has one value in it; the gateway then fails the
// whole provider ("response missing \"values\"") instead of reporting each
// id.
var allFailCases = []Case{
	{ID: "CORE-010", Rationale: `a batch in which every id fails (1, several, 512 ids) still holds "values", and a code per id, exit 0`, check: func(c *checker) {
		f := c.fixture
		// Only ids the gateway would send: ids outside its grammar are
		// CORE-006's concern.
		several := slices.Concat(f.NotFound, f.Ambiguous, f.Invalid, f.derivedNotFound(3))
		many := append(slices.Clone(f.NotFound), f.derivedNotFound(host.MaxRefsPerProvider-len(f.NotFound))...)
		for _, batch := range [][]string{f.NotFound[:1], several, many} {
			r, fail := c.try(batch)
			if fail != nil {
				c.failBecause(fail.cause, "a batch of %d ids that all fail: %s", len(batch), fail.text)
				return // the larger batches would fail the same way
			}
			for _, id := range batch {
				c.expectCode(r, id, f.failureCode(id))
			}
		}
	}},
}

// failureCode is the code the fixture wants for an id that does not
// resolve: its list's, and NOT_FOUND for derived ids.
func (f *Fixture) failureCode(id string) protocol.Code {
	switch {
	case slices.Contains(f.Ambiguous, id):
		return protocol.AmbiguousDuplicateKey
	case slices.Contains(f.Invalid, id):
		return protocol.InvalidID
	case slices.Contains(f.Slow, id):
		return protocol.Timeout
	}
	return protocol.NotFound
}
