package redact

import (
	"fmt"
	"strings"
	"testing"
)

func TestRedactor(t *testing.T) {
	var r Redactor
	if got := r.String("nothing known"); got != "nothing known" {
		t.Fatalf("zero Redactor changed text: %q", got)
	}
	secret := "pa\"ss\nword-€"
	r.Add(secret, "pa\"ss", "  ", "", "a", " ab ")
	for _, text := range []string{
		"raw " + secret,
		fmt.Sprintf("quoted %q", secret),
		`json "pa\"ss\nword-€"`,
	} {
		got := r.String(text)
		if strings.Contains(got, "ss") || !strings.Contains(got, Placeholder) {
			t.Errorf("%q redacted to %q", text, got)
		}
	}
	// The longer secret is replaced whole, not as `pa"ss` plus a remainder.
	if got := r.String(secret); got != Placeholder {
		t.Errorf("got %q", got)
	}
	if got := r.String("a  b, ab"); got != "a  b, ab" {
		t.Errorf("a secret shorter than MinLength was scrubbed: %q", got)
	}
}
