package protocol

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// The gateway's grammar (src/secrets/ref-contract.ts): an exec id is 1 to
// 256 characters from a small set and starts with a letter or digit; a
// provider alias is a short lowercase name.
var (
	idPattern       = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$`)
	providerPattern = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,63}$`)
)

// ErrInvalidProvider is wrapped by ValidateProvider's errors.
var ErrInvalidProvider = errors.New("invalid provider alias")

// ValidateID checks an id against the gateway's exec id contract. Its error
// wraps the InvalidID code, so it can be answered as a per-id error as is.
// The id is checked as given: trimming is the host's job (see NormalizeIDs).
func ValidateID(id string) error {
	if !idPattern.MatchString(id) {
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
	if !providerPattern.MatchString(name) {
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
