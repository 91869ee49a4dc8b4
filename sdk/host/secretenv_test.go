package host

import (
	"slices"
	"strings"
	"testing"
)

// Distinctive credentials: a token under a name that says nothing, and
// tokens that are a URL's user name.
const (
	ghToken     = "ghp_Q7mZx2Lk9Rt4Vb8Nc1Wd5Yf3Hj6Ps0Ae2Ug"
	ghUserToken = "ghp_U5erNameT0kenXq8Wz2Lm4Rt6Yp9Kd3Fh1"
	ghOAuth     = "ghp_OAuthUserT0kenMn7Bv5Cx3Zl1Kj9Hg2Df"
)

func TestSecretEnvFindsCredentialsWhateverTheName(t *testing.T) {
	p := Provider{
		PassEnv: []string{"GH", "CLONE_URL"},
		Env: map[string]string{
			"REMOTE":  "https://" + ghOAuth + ":x-oauth-basic@github.com/o/r",
			"MIRROR":  "https://alice:pw-5678-distinct@example.com/",
			"GIT_URL": "ssh://git@example.com/r",
		},
	}
	gw := mapLookup(map[string]string{"GH": " " + ghToken + " ", "CLONE_URL": "https://" + ghUserToken + "@github.com/o/r.git"})
	got := SecretEnv(p, gw)
	for _, want := range []string{ghToken, ghUserToken, ghOAuth, "pw-5678-distinct"} {
		if !slices.Contains(got, want) {
			t.Errorf("%.8s… missing from what SecretEnv deems secret", want)
		}
	}
	for _, not := range []string{"alice"} { // a user name beside a password
		if slices.Contains(got, not) {
			t.Errorf("%q is a user name, not a secret: %q", not, got)
		}
	}
}

func TestSecretLikeURLUserName(t *testing.T) {
	if why := SecretLike("REPO", "https://"+ghUserToken+"@github.com/o/r"); why == "" || strings.Contains(why, ghUserToken) {
		t.Errorf("a URL whose user name is a token: %q", why)
	}
	if why := SecretLike("REPO", "ssh://git@example.com/r"); why != "" {
		t.Errorf("ssh://git@ is a user, not a secret: %q", why)
	}
	if why := SecretLike("DB", "postgres://app:pw@db/app"); why != "a URL with a password in it" && !strings.HasSuffix(why, "a URL with a password in it") {
		t.Errorf("a URL with a password: %q", why)
	}
}

func TestValueSecrets(t *testing.T) {
	v := map[string]any{"user": "leaf-one-Xk3", "nested": []any{"leaf-two-Pz8", map[string]any{"pin": float64(987654321)}}, "on": true}
	got := ValueSecrets(v)
	for _, want := range []string{"leaf-one-Xk3", "leaf-two-Pz8", "987654321"} {
		if !slices.Contains(got, want) {
			t.Errorf("%q missing from %q", want, got)
		}
	}
	if got := ValueSecrets("plain-Vq2"); !slices.Equal(got, []string{"plain-Vq2"}) {
		t.Errorf("a string value: %q", got)
	}
}
