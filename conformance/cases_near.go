package conformance

import (
	"slices"
	"strings"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
)

// nearCases send made-up ids close to the fixture's value ids. A resolver
// that matches ids loosely (a shell "$id"* glob, grep "^$id", startswith,
// a path walk that stops at the first value) passes every case whose ids
// the fixture lists, unless the fixture happens to hold such a pair; the
// gateway then hands the secret of openai/api-key to a user who mistyped
// openai/api.
var nearCases = []Case{
	{ID: "CORE-014", Rationale: `made-up ids close to a value id (its prefixes, its last segment, its last character changed, "ID/x") get NOT_FOUND, never a value: ids match exactly`, check: func(c *checker) {
		f := c.fixture
		probes, base := f.nearProbes()
		if len(probes) == 0 {
			c.skipf("no id close to the fixture's value ids fits the gateway's grammar without being listed in the fixture")
			return
		}
		owner := map[string]string{} // a fixture value → its first id
		for _, id := range f.valueIDs() {
			if _, ok := owner[f.Values[id]]; !ok {
				owner[f.Values[id]] = id
			}
		}
		for _, batch := range nearBatches(f, probes, base, host.MaxBatchBytes-len(c.request())) {
			r := c.answer(batch...)
			if r == nil {
				return // the other batches would fail the same way
			}
			for _, id := range batch {
				if want, ok := f.Values[id]; ok {
					c.expectValue(r, id, want)
				} else {
					c.expectNear(r, id, owner)
				}
			}
		}
	}},
}

// expectNear checks the answer to a made-up id close to a value id: never
// a value; NOT_FOUND, or INVALID_ID when the fixture declares a stricter
// syntax, or INVALID_VALUE when the id names a node above a value id (a
// folder, a map: it exists, but holds no single value).
func (c *checker) expectNear(r *response, id string, owner map[string]string) {
	codes := c.fixture.probeCodes()
	if c.fixture.isAncestor(id) {
		codes = append(codes, protocol.InvalidValue)
	}
	v, isValue := r.values[id]
	if !isValue {
		c.expectMadeUp(r, id, codes)
		return
	}
	if s, ok := v.(string); ok {
		if of, ok := owner[s]; ok {
			c.failBecause("a made-up id got the value of a fixture id: the target matches ids loosely",
				"%s, %s %s, got its value", idText(id), relation(id, of), idText(of))
			return
		}
	}
	c.failBecause("a made-up id close to a value id got a value",
		`%s: want error %s, got a value; if the store holds that id, list it in the fixture's "values"`, idText(id), codeList(codes))
}

// relation says how a made-up id relates to the fixture id whose value it
// got.
func relation(id, of string) string {
	switch {
	case strings.HasPrefix(of, id):
		return "a prefix of"
	case strings.HasPrefix(id, of):
		return "an extension of"
	case strings.HasSuffix(of, id):
		return "a suffix of"
	}
	return "close to"
}

// nearProbes are, for every value id V, made-up ids close to it: strict
// prefixes (V minus its last character, V minus its last '/' segment when
// it has several, V cut inside a segment about halfway), V's last segment
// alone, V with its last character changed, and V + "/x". A prefix ending
// in '#', ':' or '/' is left out: many id syntaxes read it as a whole (the
// secret without a field, a file, a folder), which may well hold a value.
// Each fits the gateway's grammar and is listed nowhere in the fixture;
// base maps it to the first V it came from.
func (f *Fixture) nearProbes() (probes []string, base map[string]string) {
	base = map[string]string{}
	for _, id := range f.valueIDs() {
		for _, p := range nearIDs(id) {
			if _, seen := base[p]; !seen && protocol.ValidateID(p) == nil && !f.listed(p) {
				probes = append(probes, p)
				base[p] = id
			}
		}
	}
	return probes, base
}

// nearIDs derives from id the ids that a loose match confuses with it.
func nearIDs(id string) []string {
	n := len(id) // ids are ASCII: the grammar has no other characters
	var out []string
	prefix := func(p string) {
		if p != "" && !strings.ContainsAny(p[len(p)-1:], "#:/") {
			out = append(out, p)
		}
	}
	prefix(id[:n-1])
	if i := strings.LastIndexByte(id, '/'); i > 0 {
		prefix(id[:i])
		if i < n-1 {
			out = append(out, id[i+1:])
		}
	}
	// Cut between two letters or digits, not at a separator, so that the
	// prefix is less likely to name something real (a folder, a secret
	// whose field the id selects).
	for i := n / 2; i > 0 && i < n-1; i++ {
		if isAlnum(id[i-1]) && isAlnum(id[i]) {
			prefix(id[:i])
			break
		}
	}
	// Another letter, and not the same one in another case: some stores
	// fold case.
	changed := byte('x')
	if id[n-1]|0x20 == 'x' {
		changed = 'y'
	}
	out = append(out, id[:n-1]+string(changed), id+"/x")
	return slices.DeleteFunc(out, func(p string) bool { return p == id })
}

func isAlnum(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

// isAncestor tells whether id names a node above a value id: the value id
// continues it with a '/'.
func (f *Fixture) isAncestor(id string) bool {
	for v := range f.Values {
		if strings.HasPrefix(v, id+"/") {
			return true
		}
	}
	return false
}

// nearBatches puts each value id beside the probes made from it, in
// batches the gateway could send: at most 512 ids, and budget bytes of
// ids.
func nearBatches(f *Fixture, probes []string, base map[string]string, budget int) [][]string {
	made := map[string][]string{}
	for _, p := range probes {
		made[base[p]] = append(made[base[p]], p)
	}
	var batches [][]string
	var batch []string
	size := 0
	for _, id := range f.valueIDs() {
		group := append([]string{id}, made[id]...)
		n := 0
		for _, g := range group {
			n += len(g) + len(`"",`) // grammar ids need no escaping
		}
		if len(batch) > 0 && (len(batch)+len(group) > host.MaxRefsPerProvider || size+n > budget) {
			batches, batch, size = append(batches, batch), nil, 0
		}
		batch, size = append(batch, group...), size+n
	}
	return append(batches, batch)
}
