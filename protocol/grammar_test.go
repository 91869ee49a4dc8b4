package protocol

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestValidateID(t *testing.T) {
	valid := []string{
		"a", "A", "0", "openai/apiKey", "secret/openclaw/openai#apiKey",
		"prod:openai/apiKey", "sm:prod/openai#apiKey", "ssm:/prod/openai/apiKey",
		"a.b", "a..b", "a/.b", "a/..b", "a/b.", "a/b/..c/d", "x-y_z", "a//b", "a/",
		"k#v:1", "v1.2.3", strings.Repeat("a", 256),
	}
	for _, id := range valid {
		if err := ValidateID(id); err != nil {
			t.Errorf("ValidateID(%q) = %v, want nil", id, err)
		}
	}
	invalid := []string{
		"", " a", "a ", "a b", "a?b", "a=b", "a@b", "a%b", "a\tb", "a\nb",
		".a", "-a", "_a", "/a", "#a", ":a", "a/./b", "a/../b", "a/.", "a/..",
		"a/b/..", "é", "a\u00a0", "a+b", "a,b", "a\\b", "a*b", "a\"b",
		strings.Repeat("a", 257),
	}
	for _, id := range invalid {
		err := ValidateID(id)
		if !errors.Is(err, InvalidID) {
			t.Errorf("ValidateID(%q) = %v, want InvalidID", id, err)
		}
	}
}

func TestValidateProvider(t *testing.T) {
	for _, p := range []string{"vault", "a", "my-vault_2", "a" + strings.Repeat("b", 63)} {
		if err := ValidateProvider(p); err != nil {
			t.Errorf("ValidateProvider(%q) = %v, want nil", p, err)
		}
	}
	for _, p := range []string{"", "Vault", "1vault", "-v", "_v", "va ult", "va.ult", "vault/x", "a" + strings.Repeat("b", 64)} {
		if err := ValidateProvider(p); !errors.Is(err, ErrInvalidProvider) {
			t.Errorf("ValidateProvider(%q) = %v, want ErrInvalidProvider", p, err)
		}
	}
}

func TestNormalizeIDs(t *testing.T) {
	got := NormalizeIDs([]string{" b ", "a", "b", "", "  ", "\ufeffa\n", "c"})
	want := []string{"b", "a", "c"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("NormalizeIDs = %q, want %q", got, want)
	}
}
