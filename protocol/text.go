package protocol

import "strings"

// redactionPlaceholders are what the gateway and common tools write over
// secrets they display. The gateway refuses each as a secret value
// (SECRET_REF_REDACTED_VALUE), comparing the trimmed value exactly; this is
// the list openclaw@2026.9.6 holds.
var redactionPlaceholders = map[string]bool{
	"__OPENCLAW_REDACTED__": true, "REDACTED": true, "xoxb-REDACTED": true, "xapp-REDACTED": true,
	"***": true, "[redacted]": true, "[REDACTED]": true, "<redacted>": true,
	"[REDACTED_PRIVATE_KEY]": true, "[REDACTED CREDENTIAL]": true,
}

// IsRedactionPlaceholder reports whether the gateway would refuse v as a
// placeholder left where a secret should be.
func IsRedactionPlaceholder(v string) bool { return redactionPlaceholders[TrimSpace(v)] }

// TrimSpace trims s as JavaScript's String.prototype.trim does. The gateway
// trims ids, commands, stdout and values that way; unlike strings.TrimSpace
// it removes U+FEFF and keeps U+0085.
func TrimSpace(s string) string { return strings.TrimFunc(s, isJSSpace) }

// isJSSpace is ECMAScript's WhiteSpace and LineTerminator.
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', '\u00a0', '\u1680', '\u2028', '\u2029',
		'\u202f', '\u205f', '\u3000', '\ufeff':
		return true
	}
	return r >= '\u2000' && r <= '\u200a'
}
