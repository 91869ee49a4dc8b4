package sdk

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Redacted replaces a secret wherever the SDK prints text.
const Redacted = "[REDACTED]"

// redactor is the one place secrets are scrubbed from text. Every message
// the SDK emits (per-id error messages on stdout, every line on stderr, panic
// reports) passes through it; it knows every value a backend set and every
// string a backend marked Sensitive.
type redactor struct {
	mu       sync.Mutex
	secrets  map[string]bool
	replacer *strings.Replacer // rebuilt lazily after secrets change
}

func (r *redactor) add(s string) {
	if strings.TrimSpace(s) == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
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

func jsonInner(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}

// redact returns s with every known secret replaced by Redacted.
func (r *redactor) redact(s string) string {
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
			pairs = append(pairs, k, Redacted)
		}
		r.replacer = strings.NewReplacer(pairs...)
	}
	return r.replacer.Replace(s)
}
