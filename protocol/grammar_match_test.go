package protocol

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// The byte loops must accept exactly what the gateway's expressions
// accept: every byte value in first and later position, every length
// around the limits, and random strings over the classes' edges.
func TestGrammarMatchesTheExpressions(t *testing.T) {
	checks := []struct {
		name    string
		re      *regexp.Regexp
		matches func(string) bool
		max     int
	}{
		{"id", regexp.MustCompile(idPattern), idMatches, 256},
		{"provider", regexp.MustCompile(providerPattern), providerMatches, 64},
	}
	for _, c := range checks {
		var inputs []string
		for b := 0; b < 256; b++ {
			inputs = append(inputs, string([]byte{byte(b)}), "a"+string([]byte{byte(b)}), "a"+string([]byte{byte(b)})+"b")
		}
		for n := 0; n <= c.max+2; n++ {
			inputs = append(inputs, strings.Repeat("a", n), "0"+strings.Repeat("-", n), strings.Repeat("a", n)+"\n")
		}
		inputs = append(inputs, "a\xff", "a\u00e9", "a\u212a", "a\x00", "\xef\xbb\xbfa", "a/../b", "a/./b")
		// Random strings mixing members of the classes with near misses
		// (neighbouring bytes, case, spaces, non-ASCII, invalid UTF-8).
		alphabet := []string{"a", "z", "A", "Z", "0", "9", ".", "_", ":", "/", "#", "-",
			"`", "{", "@", "[", "+", ",", " ", "\n", "\u00e9", "\u212a", "\xff", "\x00"}
		rng := rand.New(rand.NewPCG(1, 2))
		for i := 0; i < 20000; i++ {
			var sb strings.Builder
			for n := rng.IntN(c.max + 3); n > 0; n-- {
				sb.WriteString(alphabet[rng.IntN(len(alphabet))])
			}
			inputs = append(inputs, sb.String())
		}
		for _, in := range inputs {
			if got, want := c.matches(in), c.re.MatchString(in); got != want {
				t.Errorf("%s %q: byte loop says %v, expression %v", c.name, in, got, want)
			}
		}
	}
}

func FuzzIDMatches(f *testing.F) {
	f.Add("openai/apiKey")
	f.Add("a\u00e9")
	re := regexp.MustCompile(idPattern)
	f.Fuzz(func(t *testing.T, s string) {
		if idMatches(s) != re.MatchString(s) {
			t.Errorf("%q: byte loop %v, expression %v", s, idMatches(s), re.MatchString(s))
		}
	})
}

func FuzzProviderMatches(f *testing.F) {
	f.Add("my-vault_2")
	f.Add("A")
	re := regexp.MustCompile(providerPattern)
	f.Fuzz(func(t *testing.T, s string) {
		if providerMatches(s) != re.MatchString(s) {
			t.Errorf("%q: byte loop %v, expression %v", s, providerMatches(s), re.MatchString(s))
		}
	})
}
