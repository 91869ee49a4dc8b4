package protocol

import (
	"errors"
	"fmt"
	"strings"
)

// The gateway's grammar (src/secrets/ref-contract.ts): an exec id is 1 to
// 256 characters from a small set and starts with a letter or digit; a
// provider alias is a short lowercase name. The patterns are the gateway's
// regular expressions, quoted in errors; they are matched by idMatches and
// providerMatches, because compiling them costs every run of every
// resolver a third of a millisecond and 4,000 allocations at start-up
// (their counted repetitions unroll), and their classes are ASCII, so a
// byte loop matches exactly the same strings (grammar_match_test.go
// checks it against the compiled expressions).
const (
	idPattern       = `^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$`
	providerPattern = `^[a-z][a-z0-9_-]{0,63}$`
)

// idMatches is idPattern: any byte outside the classes, a non-ASCII one
// included, fails, so lengths in bytes are lengths in characters.
func idMatches(id string) bool {
	if len(id) < 1 || len(id) > 256 || !isAlnum(id[0]) {
		return false
	}
	for i := 1; i < len(id); i++ {
		c := id[i]
		if !isAlnum(c) && !strings.ContainsRune("._:/#-", rune(c)) {
			return false
		}
	}
	return true
}

// providerMatches is providerPattern.
func providerMatches(name string) bool {
	if len(name) < 1 || len(name) > 64 || !isLower(name[0]) {
		return false
	}
	for i := 1; i < len(name); i++ {
		c := name[i]
		if !isLower(c) && !isDigit(c) && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func isLower(c byte) bool { return 'a' <= c && c <= 'z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isAlnum(c byte) bool { return isLower(c) || isDigit(c) || 'A' <= c && c <= 'Z' }

// ErrInvalidProvider is wrapped by ValidateProvider's errors.
var ErrInvalidProvider = errors.New("invalid provider alias")

// ValidateID checks an id against the gateway's exec id contract. Its error
// wraps the InvalidID code, so it can be answered as a per-id error as is.
// The id is checked as given: trimming is the host's job (see NormalizeIDs).
func ValidateID(id string) error {
	if !idMatches(id) {
		return fmt.Errorf("%w %q: must match %s", InvalidID, id, idPattern)
	}
	for _, seg := range strings.Split(id, "/") {
		if seg == "." || seg == ".." {
			return fmt.Errorf("%w %q: must not contain a %q path segment", InvalidID, id, seg)
		}
	}
	return nil
}

// ValidateProvider checks a provider alias against the gateway's grammar.
func ValidateProvider(name string) error {
	if !providerMatches(name) {
		return fmt.Errorf("%w %q: must match %s", ErrInvalidProvider, name, providerPattern)
	}
	return nil
}

// NormalizeIDs does what the gateway does to a provider's ids before it
// sends them: trims each, drops empty ones, and removes duplicates keeping
// the first occurrence's position.
func NormalizeIDs(ids []string) []string {
	out := make([]string, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		id = TrimSpace(id)
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}
