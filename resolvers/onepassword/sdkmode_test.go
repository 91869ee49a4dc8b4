package onepassword

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	onepassword "github.com/1password/onepassword-sdk-go"
	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
)

// These tests drive sdkMode against a fake of the SDK's SecretsAPI
// (sdkmode_fake_test.go), through sdk.Serve as the binary runs it. The
// real SDK's own paths that work offline are in sdkmode_offline_test.go.

func TestSDKModeWholeBatchInOneCall(t *testing.T) {
	refs, values := map[string]reference{}, map[string]sdkEntry{}
	for i := range 512 {
		id := fmt.Sprintf("Private/item-%03d/password", i)
		refs[id] = reference{vault: "Private", item: fmt.Sprintf("item-%03d", i), field: "password"}
		values["op://"+id] = sdkSecret(fmt.Sprintf("value-%03d", i))
	}
	fake := &fakeSecrets{answer: sdkVault(values)}
	s := serveSDK(t, &sdkMode{client: signedIn(fake), retry: sdkFastRetry}, refs)
	if s.status != sdk.ExitOK {
		t.Fatalf("exit %d: %s", s.status, s.stderr)
	}
	if n := fake.callCount(); n != 1 || len(fake.calls[0]) != 512 {
		t.Fatalf("%d ResolveAll calls (first with %d references), want one with 512", n, len(fake.calls[0]))
	}
	for i := range 512 {
		s.value(t, fmt.Sprintf("Private/item-%03d/password", i), fmt.Sprintf("value-%03d", i))
	}
	s.noneOf(t, "value-000", "value-511")
}

// Each id gets the entry keyed by its own reference text, exactly: not a
// reference that differs in case, that is a prefix of it, or that comes
// at the same position. The fake answers in an order unrelated to the
// request and adds an entry nobody asked for.
func TestSDKModeAnswersByOwnReference(t *testing.T) {
	refs := map[string]reference{
		"v/i/f":    {vault: "v", item: "i", field: "f"},
		"v/i/f2":   {vault: "v", item: "i", field: "f2"},
		"v/I/f":    {vault: "v", item: "I", field: "f"},
		"v/i/s/f":  {vault: "v", item: "i", section: "s", field: "f"},
		"v/i/gone": {vault: "v", item: "i", field: "gone"},
	}
	fake := &fakeSecrets{answer: func(_ context.Context, _ int, asked []string) (onepassword.ResolveAllResponse, error) {
		out := map[string]sdkEntry{
			"op://v/i/f":   sdkSecret("lower"),
			"op://v/i/f2":  sdkSecret("longer"),
			"op://v/I/f":   sdkSecret("upper"),
			"op://v/i/s/f": sdkSecret("sectioned"),
			"op://v/x/y":   sdkSecret("unasked"),
		}
		return onepassword.ResolveAllResponse{IndividualResponses: out}, nil
	}}
	s := serveSDK(t, &sdkMode{client: signedIn(fake), retry: sdkFastRetry}, refs)
	s.value(t, "v/i/f", "lower")
	s.value(t, "v/i/f2", "longer")
	s.value(t, "v/I/f", "upper")
	s.value(t, "v/i/s/f", "sectioned")
	s.failed(t, "v/i/gone", protocol.Internal, "no entry for op://v/i/gone")
}

// Ids naming the same reference (with and without op://, as the bundled
// resolver accepts) send it once and all get its answer.
func TestSDKModeSharedReferenceSentOnce(t *testing.T) {
	r := reference{vault: "Private", item: "OpenAI", field: "api key"}
	refs := map[string]reference{"Private/OpenAI/api-key-1": r, "op://Private/OpenAI/api-key-2": r}
	fake := &fakeSecrets{answer: sdkVault(map[string]sdkEntry{"op://Private/OpenAI/api key": sdkSecret("sk-1")})}
	s := serveSDK(t, &sdkMode{client: signedIn(fake), retry: sdkFastRetry}, refs)
	if got := fake.calls[0]; len(got) != 1 || got[0] != "op://Private/OpenAI/api key" {
		t.Errorf("references sent %q, want the one reference once", got)
	}
	s.value(t, "Private/OpenAI/api-key-1", "sk-1")
	s.value(t, "op://Private/OpenAI/api-key-2", "sk-1")
}

func TestSDKModeReferenceErrors(t *testing.T) {
	r := reference{vault: "Private", item: "OpenAI", section: "prod", field: "key"}
	const ref = "op://Private/OpenAI/prod/key"
	for _, c := range []struct {
		err     onepassword.ResolveReferenceError
		code    protocol.Code
		phrases []string
	}{
		{onepassword.NewResolveReferenceErrorTypeVariantVaultNotFound(), protocol.NotFound, []string{ref, `no vault "Private"`}},
		{onepassword.NewResolveReferenceErrorTypeVariantItemNotFound(), protocol.NotFound, []string{`no item "OpenAI" in vault "Private"`}},
		{onepassword.NewResolveReferenceErrorTypeVariantNoMatchingSections(), protocol.NotFound, []string{`no section "prod"`}},
		{onepassword.NewResolveReferenceErrorTypeVariantFieldNotFound(), protocol.NotFound, []string{`no field "key" in section "prod"`}},
		{onepassword.NewResolveReferenceErrorTypeVariantTooManyVaults(), protocol.AmbiguousDuplicateKey, []string{`several vaults match "Private"`, "26-character id"}},
		{onepassword.NewResolveReferenceErrorTypeVariantTooManyItems(), protocol.AmbiguousDuplicateKey, []string{`several items in vault "Private" match "OpenAI"`, "26-character id"}},
		{onepassword.NewResolveReferenceErrorTypeVariantTooManyMatchingFields(), protocol.AmbiguousDuplicateKey, []string{`several fields`, `"key"`}},
		{onepassword.NewResolveReferenceErrorTypeVariantParsing("secret reference has invalid format"), protocol.InvalidID, []string{"could not parse", "invalid format"}},
		{onepassword.NewResolveReferenceErrorTypeVariantUnsupportedFileFormat(), protocol.InvalidValue, []string{"not text"}},
		{onepassword.NewResolveReferenceErrorTypeVariantUnableToGenerateTOTPCode("bad secret"), protocol.InvalidValue, []string{"unableToGenerateTotpCode: bad secret"}},
		{onepassword.NewResolveReferenceErrorTypeVariantSSHKeyMetadataNotFound(), protocol.InvalidValue, []string{"sSHKeyMetadataNotFound"}},
		{onepassword.NewResolveReferenceErrorTypeVariantOther(), protocol.Unavailable, []string{"gave no reason"}},
		{onepassword.ResolveReferenceError{Type: "somethingNew"}, protocol.Internal, []string{`"somethingNew"`}},
		// A parsing error without its message: the SDK's own accessor
		// would dereference nil.
		{onepassword.ResolveReferenceError{Type: onepassword.ResolveReferenceErrorTypeVariantParsing}, protocol.InvalidID, []string{"could not parse"}},
	} {
		t.Run(string(c.err.Type), func(t *testing.T) {
			fake := &fakeSecrets{answer: sdkVault(map[string]sdkEntry{ref: sdkRefErr(c.err)})}
			s := serveSDK(t, &sdkMode{client: signedIn(fake), retry: sdkFastRetry}, map[string]reference{"id": r, "other": {vault: "v", item: "i", field: "f"}})
			s.failed(t, "id", c.code, c.phrases...)
			// The other id of the batch keeps its own answer.
			s.failed(t, "other", protocol.NotFound, "op://v/i/f")
		})
	}
}

// Names the SDK's reference syntax cannot carry are refused before the
// batch is sent; the rest of the batch is resolved.
func TestSDKModeUnexpressibleNames(t *testing.T) {
	refs := map[string]reference{
		"paren":   {vault: "v", item: "Item (prod)", field: "f"},
		"slash":   {vault: "v", item: "i", field: "a/b"},
		"quote":   {vault: `"v"`, item: "i", field: "f"},
		"accent":  {vault: "v", item: "Itém", field: "f"},
		"tab":     {vault: "v", item: "i", section: "a\tb", field: "f"},
		"empty":   {vault: "v", item: "", field: "f"},
		"spaces":  {vault: "My Vault", item: "My Item", field: "api key"},
		"punct":   {vault: "v-1", item: "i_2.x", field: "-"},
		"idslots": {vault: "abcdefghijklmnopqrstuvwxyz", item: "zyxwvutsrqponmlkjihgfedcba", field: "f"},
	}
	fake := &fakeSecrets{answer: sdkVault(map[string]sdkEntry{
		"op://My Vault/My Item/api key": sdkSecret("a"),
		"op://v-1/i_2.x/-":              sdkSecret("b"),
		"op://abcdefghijklmnopqrstuvwxyz/zyxwvutsrqponmlkjihgfedcba/f": sdkSecret("c"),
	})}
	s := serveSDK(t, &sdkMode{client: signedIn(fake), retry: sdkFastRetry}, refs)
	s.failed(t, "paren", protocol.InvalidID, `item name "Item (prod)" has '('`, "item's 26-character id")
	s.failed(t, "slash", protocol.InvalidID, `field name "a/b" has '/'`)
	s.failed(t, "quote", protocol.InvalidID, `has '"'`)
	s.failed(t, "accent", protocol.InvalidID, `has 'é'`)
	s.failed(t, "tab", protocol.InvalidID, `section name`)
	s.failed(t, "empty", protocol.InvalidID, "item name is empty")
	s.value(t, "spaces", "a")
	s.value(t, "punct", "b")
	s.value(t, "idslots", "c")
	if len(fake.calls) != 1 || len(fake.calls[0]) != 3 {
		t.Errorf("sent %q, want only the three expressible references", fake.calls)
	}
}

// A batch whose every name is unexpressible never calls 1Password.
func TestSDKModeNothingToSend(t *testing.T) {
	fake := &fakeSecrets{answer: sdkVault(nil)}
	s := serveSDK(t, &sdkMode{client: signedIn(fake), retry: sdkFastRetry}, map[string]reference{"x": {vault: "v", item: "a:b", field: "f"}})
	s.failed(t, "x", protocol.InvalidID)
	if fake.callCount() != 0 {
		t.Errorf("%d calls, want none", fake.callCount())
	}
}

func TestSDKModeEntryWithoutSecretOrError(t *testing.T) {
	fake := &fakeSecrets{answer: sdkVault(map[string]sdkEntry{"op://v/i/f": {}})}
	s := serveSDK(t, &sdkMode{client: signedIn(fake), retry: sdkFastRetry}, map[string]reference{"v/i/f": {vault: "v", item: "i", field: "f"}})
	s.failed(t, "v/i/f", protocol.Internal, "neither a secret nor an error")
}

// A ResolveAll that fails as a whole: a refused token or an unreachable
// 1Password fail the provider with the exit status of its class; what is
// unknown fails it with status 1 and the SDK's text.
func TestSDKModeWholeCallErrors(t *testing.T) {
	const token = "ops_eyJzaWduSW5BZGRyZXNzIjoibXkuMXBhc3N3b3JkLmNvbSJ9"
	for _, c := range []struct {
		name   string
		err    error
		status int
		phrase string
	}{
		{"refused", errors.New("authentication error: you are not authenticated"), sdk.ExitNoPerm, "refused the service account token"},
		{"forbidden", errors.New("you don't have the right permissions to access this resource"), sdk.ExitNoPerm, "refused the service account access"},
		{"dial", errors.New(`Post "https://my.1password.com/api/v2/vault": dial tcp: lookup my.1password.com: no such host (recovered by wazero)` + "\nwasm stack trace:\n\tframe"), sdk.ExitUnavailable, "could not be reached (Post"},
		{"server", errors.New("internal server error"), sdk.ExitUnavailable, "failed to answer"},
		{"gateway", errors.New("unexpected status code in response: 502 Bad Gateway"), sdk.ExitUnavailable, "502"},
		{"unknown", errors.New("wasm error: unreachable"), sdk.ExitFailure, "1Password SDK: wasm error: unreachable"},
		{"quotes token", errors.New("strange failure with " + token), sdk.ExitFailure, "[REDACTED]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fake := &fakeSecrets{answer: func(context.Context, int, []string) (onepassword.ResolveAllResponse, error) {
				return onepassword.ResolveAllResponse{}, c.err
			}}
			s := serveSDK(t, &sdkMode{client: signedIn(fake), retry: sdkFastRetry, token: token}, map[string]reference{"v/i/f": {vault: "v", item: "i", field: "f"}})
			if s.status != c.status || !strings.Contains(s.stderr, c.phrase) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", s.status, s.stderr, c.status, c.phrase)
			}
			if strings.Contains(s.stderr, "wasm stack trace") || strings.Contains(s.stderr, "recovered by wazero") {
				t.Errorf("stderr keeps the WASM runtime's trace: %q", s.stderr)
			}
			s.noneOf(t, token)
			if fake.callCount() != 1 {
				t.Errorf("%d calls; only rate limiting is retried", fake.callCount())
			}
		})
	}
}

// Throttling is retried; once it clears, the batch is answered.
func TestSDKModeRateLimitRetried(t *testing.T) {
	values := sdkVault(map[string]sdkEntry{"op://v/i/f": sdkSecret("x")})
	fake := &fakeSecrets{answer: func(ctx context.Context, call int, refs []string) (onepassword.ResolveAllResponse, error) {
		if call < 3 {
			return onepassword.ResolveAllResponse{}, &onepassword.RateLimitExceededError{}
		}
		return values(ctx, call, refs)
	}}
	s := serveSDK(t, &sdkMode{client: signedIn(fake), retry: sdkFastRetry}, map[string]reference{"v/i/f": {vault: "v", item: "i", field: "f"}})
	s.value(t, "v/i/f", "x")
	if fake.callCount() != 3 {
		t.Errorf("%d calls, want 3 (two throttled)", fake.callCount())
	}
}

// Throttling that outlasts the retries is RATE_LIMITED for every id, with
// a response written (exit 0), the tries counted.
func TestSDKModeRateLimitExhausted(t *testing.T) {
	fake := &fakeSecrets{answer: func(context.Context, int, []string) (onepassword.ResolveAllResponse, error) {
		return onepassword.ResolveAllResponse{}, errors.New("rate limit exceeded")
	}}
	refs := map[string]reference{"a": {vault: "v", item: "i", field: "a"}, "b": {vault: "v", item: "i", field: "b"}}
	s := serveSDK(t, &sdkMode{client: signedIn(fake), retry: sdkFastRetry}, refs)
	if s.status != sdk.ExitOK {
		t.Fatalf("exit %d: %s", s.status, s.stderr)
	}
	s.failed(t, "a", protocol.RateLimited, "after 5 tries")
	s.failed(t, "b", protocol.RateLimited, "after 5 tries")
	if fake.callCount() != 5 {
		t.Errorf("%d calls, want 5", fake.callCount())
	}
}

// A retry that would not fit in the deadline is not tried.
func TestSDKModeRateLimitRetryMustFit(t *testing.T) {
	fake := &fakeSecrets{answer: func(context.Context, int, []string) (onepassword.ResolveAllResponse, error) {
		return onepassword.ResolveAllResponse{}, &onepassword.RateLimitExceededError{}
	}}
	slow := retryPolicy{waits: []time.Duration{time.Hour}, room: time.Second}
	s := serveSDK(t, &sdkMode{client: signedIn(fake), retry: slow}, map[string]reference{"a": {vault: "v", item: "i", field: "a"}}, "--timeout", "3s")
	s.failed(t, "a", protocol.RateLimited, "after 1 tries")
	if fake.callCount() != 1 {
		t.Errorf("%d calls, want 1: the wait does not fit in --timeout", fake.callCount())
	}
}

// A ResolveAll still running at the deadline: every id is TIMEOUT and the
// response is written.
func TestSDKModeDeadline(t *testing.T) {
	fake := &fakeSecrets{answer: func(ctx context.Context, _ int, _ []string) (onepassword.ResolveAllResponse, error) {
		<-ctx.Done()
		return onepassword.ResolveAllResponse{}, fmt.Errorf("Post \"https://my.1password.com/api/v1/x\": %w", ctx.Err())
	}}
	s := serveSDK(t, &sdkMode{client: signedIn(fake), retry: sdkFastRetry}, map[string]reference{"a": {vault: "v", item: "i", field: "a"}}, "--timeout", "200ms")
	if s.status != sdk.ExitOK {
		t.Fatalf("exit %d: %s", s.status, s.stderr)
	}
	s.failed(t, "a", protocol.Timeout)
}

func TestIntegrationVersion(t *testing.T) {
	saved := sdk.Version
	t.Cleanup(func() { sdk.Version = saved })
	for v, want := range map[string]string{
		"v1.2.3":                             "v1.2.3",
		"v0.4.1-12-gabcdef0-dirty":           "v0.4.1-12-gabcdef0-d",
		"(devel)":                            "devel",
		"v1.0.0+meta/x":                      "v1.0.0metax",
		"()":                                 "dev",
		"v1 beta":                            "v1beta",
		"v0.0.0-20250101120000-abcdef012345": "v0.0.0-2025010112000",
	} {
		sdk.Version = v
		if got := integrationVersion(); got != want {
			t.Errorf("version %q: integration version %q, want %q", v, got, want)
		}
	}
}

// The reference sent carries the id's ?query; the SDK's parser (here a
// fake of it) refuses what it does not know before the batch is sent, as
// that id's INVALID_ID.
func TestSDKModeQueryAndSyntaxCheck(t *testing.T) {
	refs := map[string]reference{
		"otp":  {vault: "v", item: "i", field: "one-time password", query: "attribute=otp"},
		"bad":  {vault: "v", item: "i", field: "f", query: "attribute=type"},
		"bad2": {vault: "v", item: "i", field: "f", query: "attribute=type"},
	}
	fake := &fakeSecrets{answer: sdkVault(map[string]sdkEntry{"op://v/i/one-time password?attribute=otp": sdkSecret("123456")})}
	validate := func(_ context.Context, ref string) error {
		if strings.HasSuffix(ref, "?attribute=type") {
			return errors.New("the secret reference could not be parsed: secret reference has invalid query parameter value}")
		}
		return nil
	}
	s := serveSDK(t, &sdkMode{client: signedIn(fake), validate: validate, retry: sdkFastRetry}, refs)
	s.value(t, "otp", "123456")
	s.failed(t, "bad", protocol.InvalidID, "op://v/i/f?attribute=type", "invalid query parameter value")
	s.failed(t, "bad2", protocol.InvalidID, "invalid query parameter value")
	if len(fake.calls) != 1 || len(fake.calls[0]) != 1 {
		t.Errorf("sent %q, want only the reference the parser accepts", fake.calls)
	}
}
