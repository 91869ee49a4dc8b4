package gatewayconfig

import (
	"unicode/utf16"
	"unicode/utf8"
)

// decodeUTF8 decodes bytes as Node's fs.readFileSync(path, "utf-8") does:
// every maximal ill-formed subsequence becomes one U+FFFD (the WHATWG
// Encoding rule), which is not what Go's own conversions do (they replace
// byte by byte or run by run). A byte order mark is kept; JSON5 treats it
// as whitespace.
func decodeUTF8(b []byte) []rune {
	out := make([]rune, 0, len(b))
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 {
			n = maximalSubpart(b)
		}
		out = append(out, r)
		b = b[n:]
	}
	return out
}

// maximalSubpart is the length of the ill-formed sequence at the start of b:
// a valid lead byte and as many valid continuation bytes as follow it,
// short of a whole character; at least 1.
func maximalSubpart(b []byte) int {
	lead := b[0]
	var need int
	lo, hi := byte(0x80), byte(0xBF) // bounds of the second byte
	switch {
	case lead >= 0xC2 && lead <= 0xDF:
		need = 1
	case lead == 0xE0:
		need, lo = 2, 0xA0
	case lead >= 0xE1 && lead <= 0xEC, lead == 0xEE, lead == 0xEF:
		need = 2
	case lead == 0xED:
		need, hi = 2, 0x9F
	case lead == 0xF0:
		need, lo = 3, 0x90
	case lead >= 0xF1 && lead <= 0xF3:
		need = 3
	case lead == 0xF4:
		need, hi = 3, 0x8F
	default:
		return 1
	}
	n := 1
	for i := 0; i < need && n < len(b); i++ {
		c := b[n]
		if i == 0 && (c < lo || c > hi) || i > 0 && (c < 0x80 || c > 0xBF) {
			break
		}
		n++
	}
	return n
}

// jsString accumulates a JavaScript string as UTF-16 code units, so that
// \uD83D\uDE00 escapes pair up into one character as in JavaScript.
type jsString []uint16

func (s *jsString) addRune(r rune) {
	if r >= 0x10000 {
		a, b := utf16.EncodeRune(r)
		*s = append(*s, uint16(a), uint16(b))
		return
	}
	*s = append(*s, uint16(r))
}

// String converts to Go. A lone surrogate, which a JavaScript string may
// hold but UTF-8 cannot, becomes U+FFFD, as when Node hands such a string
// to a child process or writes it out.
func (s jsString) String() string { return string(utf16.Decode(s)) }

// jsLen is a character's length in UTF-16 code units, which is how JSON5
// counts columns.
func jsLen(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// runeRanges is a sorted list of inclusive code point ranges.
type runeRanges [][2]rune

func (t runeRanges) contains(r rune) bool {
	lo, hi := 0, len(t)
	for lo < hi {
		m := (lo + hi) / 2
		switch {
		case r < t[m][0]:
			hi = m
		case r > t[m][1]:
			lo = m + 1
		default:
			return true
		}
	}
	return false
}
