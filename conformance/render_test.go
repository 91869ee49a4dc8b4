package conformance

import (
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/redact"
)

func newTestChecker(secrets ...string) *checker {
	c := &checker{red: &redact.Redactor{}}
	c.red.Add(secrets...)
	return c
}

// Two different codes never read alike: protocol.Code's Error method
// reads NOT_FOUND as "not found", so a resolver that sends the phrase
// must not be told "want not found, got not found".
func TestCodesRenderAsOnTheWire(t *testing.T) {
	c := newTestChecker()
	r := &response{errors: map[string]protocol.Error{
		"a": {Code: "not found"}, "b": {Code: "NOT_FOUND "}, "c": {Code: protocol.InvalidID},
	}}
	for _, id := range []string{"a", "b", "c"} {
		c.expectCode(r, id, protocol.NotFound)
	}
	want := []string{
		`"a": want error NOT_FOUND, got "not found"`,
		`"b": want error NOT_FOUND, got "NOT_FOUND "`,
		`"c": want error NOT_FOUND, got INVALID_ID`,
	}
	for i, f := range c.failures {
		if f.text != want[i] {
			t.Errorf("got %q, want %q", f.text, want[i])
		}
	}
}

func TestLongIDsShortened(t *testing.T) {
	id := strings.Repeat("a", 256)
	if got, want := idText(id), `"`+strings.Repeat("a", 40)+`"…(256 chars)`; got != want {
		t.Errorf("idText: %s", got)
	}
	if got := idText("short/id"); got != `"short/id"` {
		t.Errorf("idText: %s", got)
	}
}

// An excerpt is redacted before it is cut: cutting first could leave the
// head of a secret that redaction no longer recognises.
func TestExcerptRedactsBeforeCutting(t *testing.T) {
	secret := "sk-live-" + strings.Repeat("7", 40)
	c := newTestChecker(secret)
	for pad := 100; pad < 320; pad += 7 { // the secret across any cut near the head
		stderr := strings.Repeat("-", pad) + secret + strings.Repeat("-", 600)
		if got := c.stderrExcerpt([]byte(stderr)); strings.Contains(got, "sk-live-") {
			t.Fatalf("pad %d: %s", pad, got)
		}
	}
	stderr := strings.Repeat("é", 400) // cut never splits a character
	if got := c.stderrExcerpt([]byte(stderr)); !strings.Contains(got, "…(800 bytes)…") || strings.Contains(got, `\x`) {
		t.Errorf("%s", got)
	}
}

func TestNoGoTypeNamesInMessages(t *testing.T) {
	goish := []string{"map[", "interface {}", "json.", "Go value", "Go struct", "%!", "[]interface", "float64", "*host.", "*protocol."}
	var texts []string
	for _, stdout := range []string{
		`"abc"`, `[1]`, `null`, `{"protocolVersion":"1","values":{}}`, `{"protocolVersion":1,"values":[]}`,
		`{"protocolVersion":1,"values":{},"errors":[]}`, `{"protocolVersion":1,"values":{},"errors":{"a":"NOT_FOUND"}}`,
		`{"protocolVersion":1,"values":{},"errors":{"a":{"code":1}}}`, `{"protocolVersion":1,`, `{"protocolVersion":1} {}`,
	} {
		if _, err := parseStrict([]byte(stdout), []string{"a"}); err == nil {
			t.Errorf("%s: accepted", stdout)
		} else {
			texts = append(texts, err.Error())
		}
	}
	c := newTestChecker()
	r := &response{values: map[string]any{"o": map[string]any{}, "n": 1.5, "l": []any{}}, errors: map[string]protocol.Error{}}
	for id := range r.values {
		c.expectValue(r, id, "x")
	}
	for _, f := range c.failures {
		texts = append(texts, f.text)
	}
	_, err := ParseFixture([]byte(`{"name":"x","provider":{},"values":{"a":1},"notFound":["b"]}`))
	texts = append(texts, err.Error())
	for _, text := range texts {
		for _, g := range goish {
			if strings.Contains(text, g) {
				t.Errorf("%q names a Go type (%s)", text, g)
			}
		}
	}
	if strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "file://") {
		t.Errorf("a fixture error is one line naming no local schema file: %q", err)
	}
}
