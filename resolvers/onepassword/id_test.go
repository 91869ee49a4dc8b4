package onepassword

import (
	"encoding/base64"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
)

func TestParseIDForms(t *testing.T) {
	spaces := "opb64:" + base64.RawURLEncoding.EncodeToString([]byte("op://Private Vault/My Item/api key"))
	for id, want := range map[string]reference{
		"Private/OpenAI/api-key":           {vault: "Private", item: "OpenAI", field: "api-key", uri: "op://Private/OpenAI/api-key"},
		"op://Private/OpenAI/api-key":      {vault: "Private", item: "OpenAI", field: "api-key", uri: "op://Private/OpenAI/api-key"},
		"Private/OpenAI/prod/api-key":      {vault: "Private", item: "OpenAI", section: "prod", field: "api-key", uri: "op://Private/OpenAI/prod/api-key"},
		"op://Private/OpenAI/prod/api-key": {vault: "Private", item: "OpenAI", section: "prod", field: "api-key", uri: "op://Private/OpenAI/prod/api-key"},
		"k2bvzk5tqcu6t5jxelnjn5p4ey/ywcnbwacqpmv5kzfqecbwwq6xa/password": {vault: "k2bvzk5tqcu6t5jxelnjn5p4ey",
			item: "ywcnbwacqpmv5kzfqecbwwq6xa", field: "password", uri: "op://k2bvzk5tqcu6t5jxelnjn5p4ey/ywcnbwacqpmv5kzfqecbwwq6xa/password"},
		spaces: {vault: "Private Vault", item: "My Item", field: "api key", uri: "op://Private Vault/My Item/api key"},
		"opb64:" + base64.RawURLEncoding.EncodeToString([]byte("v/i/totp?attribute=otp")): {vault: "v", item: "i", field: "totp",
			query: "attribute=otp", uri: "op://v/i/totp?attribute=otp"},
		"a/b/c#d:e": {vault: "a", item: "b", field: "c#d:e", uri: "op://a/b/c#d:e"},
	} {
		got, err := parseID(id)
		if err != nil || got != want {
			t.Errorf("parseID(%q) = %+v, %v; want %+v", id, got, err, want)
		}
	}
}

// Every rule of the bundled resolver's id checks, and of the strict
// opb64 round trip.
func TestParseIDRefuses(t *testing.T) {
	enc := func(s string) string { return "opb64:" + base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for id, why := range map[string]string{
		"a/b":                                   "use \"op://",
		"a/b/c/d/e":                             "use \"op://",
		"a//c":                                  "use \"op://",
		"op://a/b":                              "use \"op://",
		"a/b/c/":                                "use \"op://",
		"opb64:":                                "malformed",
		"opb64:QR":                              "malformed", // non-canonical trailing bits
		"opb64:Q":                               "malformed", // a length no encoding has
		"opb64:QQ==":                            "malformed", // padded
		enc("x/y/z") + "AB":                     "malformed", // a length no encoding has
		enc("x/y/\xff"):                         "malformed", // not UTF-8
		enc(" a/b/c"):                           "whitespace",
		enc("a/b/c "):                           "whitespace",
		enc("/a/b/c"):                           "absolute paths",
		enc(`a\b/c/d`):                          "backslashes",
		enc("a/b/c\td"):                         "printable ASCII",
		enc("a/b/ü"):                            "printable ASCII",
		enc("a/../c"):                           `"." and ".."`,
		enc("a/./c"):                            `"." and ".."`,
		enc("a/b/" + strings.Repeat("x", 2046)): "exceeds 2048 bytes",
		enc("op://a/b?x=1"):                     "use \"op://",
		enc(enc("a/b/c")):                       "use \"op://", // decoded once only
	} {
		_, err := parseID(id)
		if !errors.Is(err, protocol.InvalidID) || !strings.Contains(err.Error(), why) {
			t.Errorf("parseID(%q) = %v; want INVALID_ID saying %q", id, err, why)
		}
	}
}

// encodeID makes the id that parses back to the reference it came from,
// for any printable reference; it keeps the grammar's ids as they are.
func TestEncodeRoundTrips(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "abcXYZ019 ._-:#()[]{}$\"'!@%&*+=?,;<>|~^`"
	part := func() string {
		n := 1 + r.IntN(12)
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return strings.TrimSpace(string(b))
	}
	tried := 0
	for range 3000 {
		parts := []string{part(), part(), part()}
		if r.IntN(2) == 0 {
			parts = append(parts, part())
		}
		ref := strings.Join(parts, "/")
		if r.IntN(2) == 0 {
			ref = "op://" + ref
		}
		if _, err := parseReference(ref); err != nil {
			continue // empty part, "." segment, a "?" cutting the shape: refused alike by both
		}
		tried++
		id, err := encodeID(ref)
		if err != nil {
			t.Fatalf("encodeID(%q): %v", ref, err)
		}
		if protocol.ValidateID(id) != nil {
			t.Fatalf("encodeID(%q) = %q, which the gateway refuses", ref, id)
		}
		got, err := parseID(id)
		if err != nil || got.uri != uriOf(ref) {
			t.Fatalf("parseID(encodeID(%q) = %q) = %+v, %v", ref, id, got, err)
		}
		if protocol.ValidateID(ref) == nil && id != ref {
			t.Fatalf("encodeID(%q) = %q; an id the grammar takes stays as it is", ref, id)
		}
	}
	if tried < 1000 {
		t.Fatalf("only %d references exercised", tried)
	}
}

func TestEncodeRefusesWhatCannotBeAnID(t *testing.T) {
	for ref, why := range map[string]string{
		"a/b":                                    "use \"op://",
		"op://a b/c/" + strings.Repeat("x", 190): "exceeds OpenClaw's exec SecretRef limit",
		"op://a/b/c\n":                           "whitespace",
		"opb64:b3A6Ly9hL2IvYw":                   "use \"op://", // an encoded id is not a reference
		"op://Private/OpenAI/" + "é":             "printable ASCII",
		"op://" + strings.Repeat("v/", 1) + "i/": "use \"op://",
	} {
		if id, err := encodeID(ref); !errors.Is(err, protocol.InvalidID) || !strings.Contains(err.Error(), why) {
			t.Errorf("encodeID(%q) = %q, %v; want an error saying %q", ref, id, err, why)
		}
	}
}
