package host

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/execref/execref/sdk/lazyregexp"
)

// minSecretLength is the shortest value that a secret-sounding name makes
// suspicious: "default", "us-east-1" or "team-a" are settings, a token
// is longer.
const minSecretLength = 16

// tokenShapes are the forms of well-known credentials, recognised
// whatever the variable is called.
var tokenShapes = []struct {
	what string
	re   func() *regexp.Regexp
}{
	{"shaped like a GitHub token", lazyregexp.New(`^(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})$`)},
	{"shaped like a GitLab token", lazyregexp.New(`^glpat-[A-Za-z0-9_-]{20,}$`)},
	{"shaped like an API key (sk-…)", lazyregexp.New(`^sk-[A-Za-z0-9_-]{20,}$`)},
	{"shaped like a Slack token", lazyregexp.New(`^xox[abposr]-[A-Za-z0-9-]{10,}$`)},
	{"shaped like an AWS access key id", lazyregexp.New(`^(AKIA|ASIA)[0-9A-Z]{16}$`)},
	{"shaped like a Google API key", lazyregexp.New(`^AIza[0-9A-Za-z_-]{35}$`)},
	{"shaped like a Vault token", lazyregexp.New(`^hv[sbr]\.[A-Za-z0-9_-]{20,}$`)},
	{"shaped like an npm token", lazyregexp.New(`^npm_[A-Za-z0-9]{36}$`)},
	{"shaped like an age secret key", lazyregexp.New(`^AGE-SECRET-KEY-1[0-9A-Z]{50,}$`)},
	{"shaped like a JWT", lazyregexp.New(`^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+$`)},
	{"holding a private key", lazyregexp.New(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----`)},
}

// SecretLike says why a variable's value looks like a secret, or "" when
// it does not: a known token shape, a URL carrying a credential, or a
// secret-sounding name (LooksSecret) with a long value that is not a
// path. The explanation gives the length and the shape, never the value.
func SecretLike(name, value string) string {
	n := utf8.RuneCountInString(value)
	v := strings.TrimSpace(value)
	if what := tokenShape(v); what != "" {
		return fmt.Sprintf("%d chars, %s", n, what)
	}
	if what := urlCredential(v); what != "" {
		return fmt.Sprintf("%d chars, %s", n, what)
	}
	if LooksSecret(name) && utf8.RuneCountInString(v) >= minSecretLength && !pathLike(v) {
		return fmt.Sprintf("%d chars under a name that says it holds a secret", n)
	}
	return ""
}

// tokenShape names the well-known credential v is shaped like, or "".
func tokenShape(v string) string {
	for _, s := range tokenShapes {
		if s.re().MatchString(v) {
			return s.what
		}
	}
	return ""
}

// urlCredentials are the secrets a URL carries in its user info: the
// password, and the user name when it is the credential
// (https://ghp_…@github.com, or https://TOKEN:x-oauth-basic@host): when
// there is no password, or when it is shaped like a token.
func urlCredentials(v string) []string {
	if !strings.Contains(v, "://") {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || u.User == nil {
		return nil
	}
	var out []string
	pw, hasPassword := u.User.Password()
	if hasPassword {
		out = append(out, pw)
	}
	if name := u.User.Username(); !hasPassword || tokenShape(name) != "" {
		out = append(out, name)
	}
	return out
}

// urlCredential says what credential the URL v carries, or "". A bare
// user name counts only when it is long enough to be a token (ssh://git@
// is a user, not a secret).
func urlCredential(v string) string {
	u, err := url.Parse(v)
	if !strings.Contains(v, "://") || err != nil || u.User == nil {
		return ""
	}
	if _, ok := u.User.Password(); ok {
		return "a URL with a password in it"
	}
	if name := u.User.Username(); tokenShape(name) != "" || utf8.RuneCountInString(name) >= minSecretLength {
		return "a URL with a credential as its user name"
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
