package conformance

import (
	"slices"
	"strings"

	"github.com/execref/execref/protocol"
)

// grammarCases send valid ids that no fixture lists, built from the
// gateway's grammar itself, so that they test what the fixture's own ids
// may not: every character class and separator, and the length limits.
var grammarCases = []Case{
	{ID: "CORE-011", Rationale: "made-up valid ids using all of the gateway's grammar (. _ - : # /, a digit first, 1 and 256 chars) get NOT_FOUND", check: func(c *checker) {
		id := c.fixture.valueIDs()[0]
		probes := c.fixture.unlisted(grammarProbes())
		codes := c.fixture.probeCodes()
		r, fail := c.try(append([]string{id}, probes...))
		if fail != nil {
			c.failBecause(fail.cause, "%s%s", fail.text, c.culprits(id, probes))
			return
		}
		c.expectValue(r, id, c.fixture.Values[id])
		for _, p := range probes {
			c.expectMadeUp(r, p, codes)
		}
	}},
	{ID: "CORE-012", Rationale: `"ID#x" and "x:ID" never get the value of ID (cutting ids at '#' or stripping "prefix:" hands out a wrong secret)`, check: func(c *checker) {
		probes, base := c.fixture.conflationProbes()
		// A value id too, so that the batch tests only how ids are read.
		id := c.fixture.valueIDs()[0]
		r := c.answer(append([]string{id}, probes...)...)
		if r == nil {
			return
		}
		c.expectValue(r, id, c.fixture.Values[id])
		for _, p := range probes {
			if v, ok := r.values[p].(string); ok && v == c.fixture.Values[base[p]] {
				c.failBecause("an id got the value of a different id", "%s got the value of %s: the target reads the two ids as one", idText(p), idText(base[p]))
			}
		}
	}},
}

// grammarProbes are valid ids, made up so that no target has them, that
// use each character class and separator of the gateway's grammar
// (^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$), and its shortest and longest
// lengths.
func grammarProbes() []string {
	longest := "conformance/probe-256-"
	for len(longest) < 256 {
		longest += "0123456789abcdef"
	}
	return []string{
		"Z",
		"0conformance-probe/digit-first",
		"conformance/probe.with.dots",
		"conformance/probe_with_underscores",
		"conformance/probe-with-dashes",
		"conformance:probe:with:colons",
		"conformance/probe#with#hashes",
		"conformance/probe/with/many/slashes",
		"ci/app.prod_conformance-probe:v2#key",
		longest[:256],
	}
}

// probeCodes are the codes a made-up id may get: NOT_FOUND, or also
// INVALID_ID when the fixture shows, by listing invalid ids, that the
// target's own id syntax is stricter than the gateway's.
func (f *Fixture) probeCodes() []protocol.Code {
	if len(f.Invalid) > 0 {
		return []protocol.Code{protocol.NotFound, protocol.InvalidID}
	}
	return []protocol.Code{protocol.NotFound}
}

// expectMadeUp checks that a made-up id failed with one of codes, and
// explains an INVALID_ID that codes do not allow: the fixture lists no
// invalid ids, which would declare a syntax stricter than the gateway's.
func (c *checker) expectMadeUp(r *response, id string, codes []protocol.Code) {
	if e, failed := r.errors[id]; failed && e.Code == protocol.InvalidID && !slices.Contains(codes, protocol.InvalidID) {
		c.failBecause("a made-up valid id got INVALID_ID, and the fixture lists no invalid ids",
			`%s: want error %s, got INVALID_ID; if the target's id syntax is stricter than the gateway's, list an id it refuses in the fixture's "invalid", and INVALID_ID is accepted here`, idText(id), codeList(codes))
		return
	}
	c.expectOneOf(r, id, codes...)
}

// conflationProbes are, for every value id V, "V#x" and "x:V" (when they
// fit the grammar and the fixture does not list them), mapped to V.
func (f *Fixture) conflationProbes() (probes []string, base map[string]string) {
	base = map[string]string{}
	for _, id := range f.valueIDs() {
		for _, p := range []string{id + "#x", "x:" + id} {
			if protocol.ValidateID(p) == nil && !f.listed(p) {
				probes = append(probes, p)
				base[p] = id
			}
		}
	}
	return probes, base
}

// culprits narrows a failed batch down to the probes that fail a run
// alone, each beside a value id, so that the reader sees which character
// the target trips over. It sends nothing to a target that timed out.
func (c *checker) culprits(id string, probes []string) string {
	if c.timedOut != "" {
		return ""
	}
	var bad []string
	for _, p := range probes {
		if _, fail := c.try([]string{id, p}); fail != nil {
			bad = append(bad, idText(p))
		}
	}
	if len(bad) == 0 {
		return "; no made-up id fails a run on its own"
	}
	return "; these ids fail a run on their own: " + strings.Join(bad, ", ")
}

// unlisted drops the ids the fixture lists, whose answers it decides.
func (f *Fixture) unlisted(ids []string) []string {
	return slices.DeleteFunc(ids, f.listed)
}

// listed tells whether any of the fixture's lists holds id.
func (f *Fixture) listed(id string) bool {
	_, isValue := f.Values[id]
	return isValue || slices.Contains(f.NotFound, id) || slices.Contains(f.Ambiguous, id) ||
		slices.Contains(f.Invalid, id) || slices.Contains(f.Slow, id)
}
