package protocol

import "testing"

func TestJSSpace(t *testing.T) {
	for _, r := range " \t\n\v\f\r\u00a0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000\ufeff" {
		if !isJSSpace(r) {
			t.Errorf("%U not space", r)
		}
	}
	for _, r := range "a\u0085\u200b\u180e_" {
		if isJSSpace(r) {
			t.Errorf("%U is space", r)
		}
	}
}

func TestTrimSpace(t *testing.T) {
	if got := TrimSpace("\ufeff\u00a0\u2003 a b\t\u2028\n"); got != "a b" {
		t.Errorf("TrimSpace = %q", got)
	}
	if got := TrimSpace("\u0085a\u0085"); got != "\u0085a\u0085" {
		t.Errorf("U+0085 is not JavaScript whitespace, but TrimSpace removed it: %q", got)
	}
}

func TestIsRedactionPlaceholder(t *testing.T) {
	for _, v := range []string{"__OPENCLAW_REDACTED__", " ***\n", "[REDACTED]", "[redacted]", "<redacted>", "xoxb-REDACTED", "REDACTED"} {
		if !IsRedactionPlaceholder(v) {
			t.Errorf("%q not recognised", v)
		}
	}
	for _, v := range []string{"****", "redacted", "sk-REDACTED-123", "[REDACTED] and more", ""} {
		if IsRedactionPlaceholder(v) {
			t.Errorf("%q taken for a placeholder", v)
		}
	}
}
