package conformance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/execref/execref/protocol"
)

// expectValue checks that id resolved to exactly want. It never prints
// either value, only where they differ.
func (c *checker) expectValue(r *response, id, want string) {
	if e, failed := r.errors[id]; failed {
		c.failBecause("an id of \"values\" got error "+codeText(e.Code),
			"%s: want its value, got error %s%s", idText(id), codeText(e.Code), c.messageExcerpt(e.Message))
		return
	}
	got, ok := r.values[id].(string)
	switch {
	case !ok:
		kind := jsonKind(r.values[id])
		c.failBecause("a value is "+kind+", not a string", "%s: want a string value, got %s", idText(id), kind)
	case got != want:
		c.failBecause("a value differs from the fixture's", "%s: value differs from the fixture's: %s", idText(id), difference(got, want))
	}
}

// expectCode checks that id failed with code.
func (c *checker) expectCode(r *response, id string, code protocol.Code) {
	c.expectOneOf(r, id, code)
}

// expectOneOf checks that id failed with one of codes.
func (c *checker) expectOneOf(r *response, id string, codes ...protocol.Code) {
	want := codeList(codes)
	e, failed := r.errors[id]
	switch {
	case !failed:
		c.failBecause("want error "+want+", got a value", "%s: want error %s, got a value", idText(id), want)
	case !slices.Contains(codes, e.Code):
		c.failBecause(fmt.Sprintf("want error %s, got %s", want, codeText(e.Code)),
			"%s: want error %s, got %s%s", idText(id), want, codeText(e.Code), c.messageExcerpt(e.Message))
	}
}

// codeList renders codes as "A" or "A or B".
func codeList(codes []protocol.Code) string {
	out := make([]string, len(codes))
	for i, code := range codes {
		out[i] = codeText(code)
	}
	return strings.Join(out, " or ")
}

// difference describes how two values differ without showing them.
func difference(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	return fmt.Sprintf("%d bytes, want %d; first difference at byte %d", len(got), len(want), i)
}
