package onepassword

import (
	"runtime/debug"
	"strings"

	"github.com/execref/execref/sdk"
)

// integrationName is how 1Password's activity log names this resolver.
const integrationName = "openclaw-1password-resolver"

// integrationVersion is the resolver's version as the SDK accepts it: its
// core refuses a version longer than 20 characters or with characters
// other than letters, digits, '.', '-', '_' and the space (measured with
// v0.4.1: "(devel)" and a git-describe version with "+dirty" fail
// NewClient), so the version is cut to fit rather than fail a sign-in.
func integrationVersion() string {
	v := sdk.Version
	if v == "" {
		if bi, ok := debug.ReadBuildInfo(); ok {
			v = bi.Main.Version
		}
	}
	v = strings.Map(func(c rune) rune {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_' {
			return c
		}
		return -1
	}, v)
	if len(v) > 20 {
		v = v[:20]
	}
	if v == "" {
		return "dev"
	}
	return v
}
