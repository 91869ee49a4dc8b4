package protocol

import "strings"

// RedactionPlaceholder is what the gateway writes over secrets it displays.
// It refuses the placeholder as a secret value.
const RedactionPlaceholder = "__OPENCLAW_REDACTED__"

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
