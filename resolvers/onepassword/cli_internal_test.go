package onepassword

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// render is what op inject prints for a template whose references have
// the given values.
func render(nonce string, values []string) string {
	var s strings.Builder
	s.WriteString(injectDelimiter(nonce, 0))
	for i, v := range values {
		s.WriteString(v + injectDelimiter(nonce, i+1))
	}
	return s.String()
}

// Values come back exactly, whatever they hold: newlines, braces, text
// shaped like a delimiter of another run or of this one without its
// nonce, empty values.
func TestParseInjectedExact(t *testing.T) {
	nonce, err := newNonce()
	if err != nil {
		t.Fatal(err)
	}
	other, _ := newNonce()
	values := []string{"plain", "multi\nline\n", "{{ op://a/b/c }}", "", "<<openclaw:" + other + ":2>>",
		"<<openclaw::1>>", "trailing newline\n", strings.Repeat("x", 70000)}
	got, err := parseInjected([]byte(render(nonce, values)), nonce, len(values))
	if err != nil || !slices.Equal(got, values) {
		t.Fatalf("got %d values, %v", len(got), err)
	}
	// op may end its output with a newline after the last delimiter.
	got, err = parseInjected([]byte(render(nonce, values)+"\n"), nonce, len(values))
	if err != nil || !slices.Equal(got, values) {
		t.Fatalf("with a final newline: %v", err)
	}
}

// Output that is not exactly the template with its references replaced
// is refused whole.
func TestParseInjectedRefuses(t *testing.T) {
	nonce, _ := newNonce()
	ok := render(nonce, []string{"a", "b", "c"})
	for name, out := range map[string]string{
		"empty":                  "",
		"a value missing":        render(nonce, []string{"a", "b"}),
		"a value too many":       render(nonce, []string{"a", "b", "c", "d"}),
		"text before":            "x" + ok,
		"text after":             ok + "x",
		"two newlines after":     ok + "\n\n",
		"delimiters swapped":     strings.Replace(strings.Replace(ok, ":1>>", ":X>>", 1), ":2>>", ":1>>", 1),
		"the nonce in a value":   render(nonce, []string{"a", nonce, "c"}),
		"a delimiter in a value": render(nonce, []string{"a" + injectDelimiter(nonce, 2), "b", "c"}),
		"another run's nonce":    strings.ReplaceAll(ok, nonce, strings.Repeat("0", len(nonce))),
		"the template unchanged": injectTemplate(nonce, []string{"op://a/b/c", "op://a/b/d", "op://a/b/e"}) + "x",
	} {
		if got, err := parseInjected([]byte(out), nonce, 3); !errors.Is(err, errInjectOutput) {
			t.Errorf("%s: got %q, %v; want it refused", name, got, err)
		}
	}
}

func TestNoncesDiffer(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		n, err := newNonce()
		if err != nil || len(n) != 32 || seen[n] {
			t.Fatalf("nonce %q, %v", n, err)
		}
		seen[n] = true
	}
}

// Only references op's template syntax cannot misread go into a template.
func TestTemplateSafe(t *testing.T) {
	for uri, want := range map[string]bool{
		"op://Private/OpenAI/api-key":          true,
		"op://Private Vault/My Item/api key":   true,
		"op://a.b/c_d/e-f/g.h":                 true,
		"op://k2bvzk5tqcu6t5jxelnjn5p4ey/x/y":  true,
		"op://Private/Pay $HOME/password":      false,
		"op://Private/${HOME}/password":        false,
		"op://Private/mysql (work)/password":   false,
		"op://a/b/c}} {{ op://x/y/z":           false,
		`op://a/"b"/c`:                         false,
		"op://a/b/c?attribute=otp":             false,
		"op://a/b/c#d":                         false,
		"op://a/b:c/d":                         false,
		"op://a/b /c":                          false, // a space at the end of a name is padding to op
		"op://a/ b/c":                          false,
		"op://a/b  c/d":                        false,
		"op://a/b/c ":                          false,
		"op://a/b":                             false,
		"op://a/b/c/d/e":                       false,
		"op://a/b/c\n":                         false,
		"op://a/b/\u00e9":                      false,
		"op://a/b/" + strings.Repeat("x", 100): true,
		"op://Private/OpenAI/prod/api-key":     true,
	} {
		if templateSafe(uri) != want {
			t.Errorf("templateSafe(%q) = %v", uri, !want)
		}
	}
}

// op's environment: ours passed through, the token given, the settings
// that keep op non-interactive forced, HOME always set.
func TestOpEnviron(t *testing.T) {
	t.Setenv("OPENCLAW_TEST_PASSED", "yes")
	env := map[string]string{
		"OPENCLAW_TEST_PASSED":         "yes",
		"OP_BIOMETRIC_UNLOCK_ENABLED":  "true",
		"OP_LOAD_DESKTOP_APP_SETTINGS": "1",
		"OP_SERVICE_ACCOUNT_TOKEN":     "ops_x",
		"HOME":                         "",
	}
	got := opEnviron(func(name string) (string, bool) { v, ok := env[name]; return v, ok })
	for _, want := range []string{"OPENCLAW_TEST_PASSED=yes", "OP_BIOMETRIC_UNLOCK_ENABLED=false",
		"OP_LOAD_DESKTOP_APP_SETTINGS=false", "OP_SERVICE_ACCOUNT_TOKEN=ops_x"} {
		if !slices.Contains(got, want) {
			t.Errorf("op's environment lacks %s: %q", want, got)
		}
	}
	home := slices.IndexFunc(got, func(kv string) bool { return strings.HasPrefix(kv, "HOME=") })
	if home < 0 || got[home] == "HOME=" {
		t.Errorf("op gets no HOME: %q", got)
	}
	for _, kv := range got {
		if name, _, _ := strings.Cut(kv, "="); env[name] == "" && name != "HOME" && !strings.HasPrefix(name, "OP_") {
			t.Errorf("op gets %s, which its environment does not hold", name)
		}
	}
}
