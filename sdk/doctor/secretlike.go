package doctor

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/execref/execref/sdk/host"
)

// minSecretLength is the shortest value that a secret-sounding name makes
// suspicious: "default", "us-east-1" or "team-a" are settings, a token
// is longer.
const minSecretLength = 16

// tokenShapes are the forms of well-known credentials, recognised
// whatever the variable is called.
var tokenShapes = []struct {
	what string
	re   *regexp.Regexp
}{
	{"shaped like a GitHub token", regexp.MustCompile(`^(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})$`)},
	{"shaped like a GitLab token", regexp.MustCompile(`^glpat-[A-Za-z0-9_-]{20,}$`)},
	{"shaped like an API key (sk-…)", regexp.MustCompile(`^sk-[A-Za-z0-9_-]{20,}$`)},
	{"shaped like a Slack token", regexp.MustCompile(`^xox[abposr]-[A-Za-z0-9-]{10,}$`)},
	{"shaped like an AWS access key id", regexp.MustCompile(`^(AKIA|ASIA)[0-9A-Z]{16}$`)},
	{"shaped like a Google API key", regexp.MustCompile(`^AIza[0-9A-Za-z_-]{35}$`)},
	{"shaped like a Vault token", regexp.MustCompile(`^hv[sbr]\.[A-Za-z0-9_-]{20,}$`)},
	{"shaped like an npm token", regexp.MustCompile(`^npm_[A-Za-z0-9]{36}$`)},
	{"shaped like an age secret key", regexp.MustCompile(`^AGE-SECRET-KEY-1[0-9A-Z]{50,}$`)},
	{"shaped like a JWT", regexp.MustCompile(`^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+$`)},
	{"holding a private key", regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----`)},
	{"a URL with a password in it", regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://[^/?#@:\s]*:[^/?#@\s]+@`)},
}

// secretLike says why a literal env value looks like a secret, or "" when
// it does not: a known token shape, or a secret-sounding name (TOKEN,
// SECRET, PASSWORD, KEY, …) with a long value that is not a path. The
// explanation gives the length and the shape, never the value.
func secretLike(name, value string) string {
	n := utf8.RuneCountInString(value)
	v := strings.TrimSpace(value)
	for _, s := range tokenShapes {
		if s.re.MatchString(v) {
			return fmt.Sprintf("%d chars, %s", n, s.what)
		}
	}
	if host.LooksSecret(name) && utf8.RuneCountInString(v) >= minSecretLength && !pathLike(v) {
		return fmt.Sprintf("%d chars under a name that says it holds a secret", n)
	}
	return ""
}

// pathLike tells a file name from a value: VAULT_TOKEN_FILE=/run/x or
// SOPS_AGE_KEY_FILE=~/.config/sops/age/keys.txt name where a secret is,
// which is what a config should hold.
func pathLike(v string) bool {
	for _, p := range []string{"/", "~/", "./", "../"} {
		if strings.HasPrefix(v, p) {
			return true
		}
	}
	return false
}
