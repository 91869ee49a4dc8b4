package onepassword

import (
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
)

// op's stderr, as op prints it (the samples marked "seen" are op's own
// words, from its users' reports; the others follow the same shapes),
// classified into codes.
func TestClassifyOp(t *testing.T) {
	for _, tc := range []struct {
		stderr  string
		code    protocol.Code
		network bool
		says    string
	}{
		{`[ERROR] 2024/01/01 00:00:00 "x" isn't an item in the "y" vault. Specify the item with its UUID, name, or domain.`, // seen
			protocol.NotFound, false, `"x" isn't an item in the "y" vault`},
		{`[ERROR] 2026/09/03 10:00:00 could not read secret 'op://Private/_focused notion token/credential': "_focused notion token" isn't an item in the "Private" vault`, // seen
			protocol.NotFound, false, `"_focused notion token" isn't an item`},
		{`[ERROR] 2024/01/01 00:00:00 "Engineering" isn't a vault in this account. Specify the vault with its ID or name.`, protocol.NotFound, false, "isn't a vault"},
		{`[ERROR] 2024/01/01 00:00:00 item 'OpenAI' does not have a field 'nope'`, protocol.NotFound, false, "does not have a field"},
		{`[ERROR] 2024/01/01 00:00:00 "nope" isn't a section in the "OpenAI" item.`, protocol.NotFound, false, "isn't a section"},
		{"[ERROR] 2024/01/01 00:00:00 More than one item matches \"x\". Try again and specify the item by its ID:\n\t* for the item x in vault y: abc\n\t* for the item x in vault y: def\n",
			protocol.AmbiguousDuplicateKey, false, "for the item x in vault y: def"},
		{`[ERROR] 2024/01/01 00:00:00 More than one vault matches "Shared". Try again and specify the vault by its ID`, protocol.AmbiguousDuplicateKey, false, "vault"},
		{`[ERROR] 2025/01/04 14:41:14 (401) Unauthorized: You aren't authorized to perform this action.`, // seen
			protocol.Unauthenticated, false, "(401) Unauthorized"},
		{`[ERROR] 2026/09/28 23:02:09 could not read secret 'op://NoVault/NoItem/token': error initializing client: Validation: (failed to session.DecodeSACredentials), Server: (failed to DecodeSACredentials), illegal base64 data at input byte 12`, // seen
			protocol.Unauthenticated, false, "DecodeSACredentials"},
		{"[ERROR] 2024/01/01 00:00:00 You are not currently signed in. Please run `op signin --help` for instructions", protocol.Unauthenticated, false, "signed in"},
		{`[ERROR] 2026/09/28 12:00:00 authentication with the 1Password app timed out`, protocol.Unauthenticated, false, "1Password app"}, // seen
		{`[ERROR] 2026/09/28 12:00:00 could not read secret 'op://Agent Rig/Item/token': error initializing client: authenticating with the server: Post "https://my.1password.com/api/v3/auth/start": dial tcp: lookup my.1password.com: no such host`, // seen
			protocol.Unavailable, true, "no such host"},
		{`[ERROR] 2026/10/07 12:00:00 (429) Too Many Requests: You've reached the maximum number of this type of requests this service account can make`, // seen
			protocol.RateLimited, false, "(429)"},
		{`[ERROR] 2024/01/01 00:00:00 (403) Forbidden: You don't have the right permissions`, protocol.PermissionDenied, false, "(403)"},
		{`[ERROR] 2024/01/01 00:00:00 (503) Service Unavailable`, protocol.Unavailable, true, "(503)"},
		{`[ERROR] 2024/01/01 00:00:00 invalid secret reference 'op://a/b': too many '/'`, protocol.InvalidID, false, "invalid secret reference"},
		// Names are quoted and never classify: these items do not exist.
		{`[ERROR] 2024/01/01 00:00:00 "Rate limit key" isn't an item in the "Forbidden (403)" vault.`, protocol.NotFound, false, "Rate limit key"},
		{`[ERROR] 2024/01/01 00:00:00 "x" isn't an item in the "dial tcp" vault.`, protocol.NotFound, false, "dial tcp"},
		// Notices around the error do not hide it.
		{"A new version of 1Password CLI is available. Run 'op update' to update.\n[ERROR] 2024/01/01 00:00:00 \"x\" isn't an item in the \"y\" vault.\n",
			protocol.NotFound, false, "isn't an item"},
		{"something op never says\n", protocol.Unavailable, false, "exit status 3: something op never says"},
		{"", protocol.Unavailable, false, "no message on stderr"},
	} {
		e := classifyOp("op read op://y/x/z", 3, []byte(tc.stderr))
		if e.code != tc.code || e.network != tc.network || !strings.Contains(e.msg, tc.says) {
			t.Errorf("%q:\n got %s (network %v) %q\nwant %s (network %v) saying %q", tc.stderr, e.code, e.network, e.msg, tc.code, tc.network, tc.says)
		}
		if strings.Contains(e.msg, "[ERROR]") || strings.Contains(e.msg, "2024/01/01") || strings.Contains(e.msg, "could not read secret") || strings.Contains(e.msg, "\n") {
			t.Errorf("%q: message keeps op's prefix, date or newlines: %q", tc.stderr, e.msg)
		}
	}
}

func TestOpMessageIsBounded(t *testing.T) {
	long := "[ERROR] 2024/01/01 00:00:00 " + strings.Repeat("é", 500)
	msg, _ := opMessage([]byte(long))
	if len(msg) > maxOpMessage+len("…") || !strings.HasSuffix(msg, "…") || !strings.HasPrefix(msg, "éé") {
		t.Fatalf("message of %d bytes: %q", len(msg), msg)
	}
	if strings.ContainsRune(msg, '\uFFFD') {
		t.Fatalf("cut inside a character: %q", msg)
	}
}
