package host

import "strings"

// secretWords in a variable's name say it holds a credential.
var secretWords = []string{"TOKEN", "SECRET", "PASSWORD", "PASSWD", "PASSPHRASE", "CREDENTIAL",
	"PRIVATE", "APIKEY", "API_KEY", "AUTH", "SESSION", "COOKIE"}

// secretSuffixes end the names of credentials that carry no secret word:
// SOPS_AGE_KEY, DB_PASS.
var secretSuffixes = []string{"_KEY", "_PASS", "_PW", "_PWD"}

// settingSuffixes end the names of variables that point at a credential
// or configure how to get one (SOPS_AGE_KEY_FILE, VAULT_AUTH_METHOD) but
// hold none; their values make error messages useful.
var settingSuffixes = []string{"_FILE", "_PATH", "_DIR", "_HOME", "_ADDR", "_ENDPOINT", "_REGION",
	"_METHOD", "_MOUNT", "_CMD", "_ROLE", "_NAME"}

// LooksSecret tells whether a variable's name says it holds a credential:
// VAULT_TOKEN, AWS_SECRET_ACCESS_KEY, SOPS_AGE_KEY, PGPASSWORD; not
// SOPS_AGE_KEY_FILE or VAULT_ADDR.
func LooksSecret(name string) bool {
	n := strings.ToUpper(name)
	for _, s := range settingSuffixes {
		if strings.HasSuffix(n, s) {
			return false
		}
	}
	if n == "KEY" {
		return true
	}
	for _, s := range secretSuffixes {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	for _, w := range secretWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// SecretEnv returns what a provider hands its resolver through env and
// passEnv (looked up with lookup, the gateway's environment) that looks
// secret: the values of variables whose names say so (LooksSecret), the
// values shaped like a well-known credential whatever their name (see
// SecretLike), and the credentials in any value that is a URL with user
// info (its password; its user name when that is the credential). A tool
// adds them to a redact.Redactor before it shows a resolver's stderr: a
// resolver may echo its own credentials, and the host knows no other
// secret when a provider fails as a whole.
func SecretEnv(p Provider, lookup func(string) (string, bool)) []string {
	var out []string
	add := func(name, value string) {
		v := strings.TrimSpace(value)
		if LooksSecret(name) || tokenShape(v) != "" {
			out = append(out, value, v)
		}
		out = append(out, urlCredentials(v)...)
	}
	for _, name := range p.PassEnv {
		if v, ok := lookup(name); ok {
			add(name, v)
		}
	}
	for name, v := range p.Env {
		add(name, v)
	}
	return out
}
