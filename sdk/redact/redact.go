// Package redact scrubs secrets from text. It is the one place where
// execref turns text that might hold a secret into text that may be
// printed: the SDK passes every message through it, and so do the host
// tools and the conformance suite before they report anything.
package redact

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Placeholder replaces a secret wherever text is redacted.
const Placeholder = "[REDACTED]"

// Redactor holds the secrets to scrub. The zero value is ready to use and
// safe for concurrent use.
type Redactor struct {
	mu       sync.Mutex
	secrets  map[string]bool
	replacer *strings.Replacer // rebuilt lazily after secrets change
}

// MinLength is the shortest secret, in characters once trimmed, that a
// Redactor scrubs. Shorter strings ("a", "80", "yes") guard nothing that
// could not be guessed, and scrubbing them would shred every message: every
// "a" in a log line would become the placeholder.
const MinLength = 4

// Add registers secrets. Those shorter than MinLength are ignored.
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if utf8.RuneCountInString(strings.TrimSpace(s)) < MinLength {
			continue
		}
		if r.secrets == nil {
			r.secrets = map[string]bool{}
		}
		// A secret can reach text escaped as well as raw, through %q or JSON.
		for _, f := range []string{s, strings.Trim(strconv.Quote(s), `"`), jsonInner(s)} {
			if !r.secrets[f] {
				r.secrets[f] = true
				r.replacer = nil
			}
		}
	}
}

func jsonInner(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}

// String returns s with every known secret replaced by Placeholder.
func (r *Redactor) String(s string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.secrets) == 0 {
		return s
	}
	if r.replacer == nil {
		// Longest first, so a secret that contains another is replaced whole.
		all := make([]string, 0, len(r.secrets))
		for k := range r.secrets {
			all = append(all, k)
		}
		slices.SortFunc(all, func(a, b string) int { return len(b) - len(a) })
		pairs := make([]string, 0, 2*len(all))
		for _, k := range all {
			pairs = append(pairs, k, Placeholder)
		}
		r.replacer = strings.NewReplacer(pairs...)
	}
	return r.replacer.Replace(s)
}
