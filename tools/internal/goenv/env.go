package goenv

import (
	"slices"
	"strings"
)

// Without returns env less every NAME=value entry whose NAME is one of
// names. env is not modified.
func Without(env []string, names ...string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(names, name) {
			out = append(out, kv)
		}
	}
	return out
}

// With returns env with each NAME=value of set in place of any NAME env
// has, set's entries last, in their order. env is not modified.
func With(env []string, set ...string) []string {
	names := make([]string, 0, len(set))
	for _, kv := range set {
		name, _, _ := strings.Cut(kv, "=")
		names = append(names, name)
	}
	return append(Without(env, names...), set...)
}
