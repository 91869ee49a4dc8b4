package onepassword

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	onepassword "github.com/1password/onepassword-sdk-go"
	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
)

// fakeSecrets is the SDK's SecretsAPI as sdkMode sees it: each ResolveAll
// is recorded and answered by answer (call counts from 1).
type fakeSecrets struct {
	answer func(ctx context.Context, call int, refs []string) (onepassword.ResolveAllResponse, error)

	mu    sync.Mutex
	calls [][]string
}

func (f *fakeSecrets) ResolveAll(ctx context.Context, refs []string) (onepassword.ResolveAllResponse, error) {
	f.mu.Lock()
	f.calls = append(f.calls, slices.Clone(refs))
	call := len(f.calls)
	f.mu.Unlock()
	return f.answer(ctx, call, refs)
}

func (f *fakeSecrets) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// signedIn is a mode's client that is f, as a kept client or a sign-in
// would hand it over.
func signedIn(f secretsResolver) func(context.Context, *sdk.Batch) (*sdkClient, error) {
	return func(context.Context, *sdk.Batch) (*sdkClient, error) { return &sdkClient{secrets: f}, nil }
}

// sdkEntry is one IndividualResponses value.
type sdkEntry = onepassword.Response[onepassword.ResolvedReference, onepassword.ResolveReferenceError]

func sdkSecret(v string) sdkEntry {
	return sdkEntry{Content: &onepassword.ResolvedReference{Secret: v, ItemID: "itemid", VaultID: "vaultid"}}
}

func sdkRefErr(e onepassword.ResolveReferenceError) sdkEntry { return sdkEntry{Error: &e} }

// sdkVault answers every reference from a table, the way the service does:
// a map keyed by the reference text sent. A reference it does not hold is
// itemNotFound.
func sdkVault(values map[string]sdkEntry) func(context.Context, int, []string) (onepassword.ResolveAllResponse, error) {
	return func(_ context.Context, _ int, refs []string) (onepassword.ResolveAllResponse, error) {
		out := map[string]sdkEntry{}
		for _, ref := range refs {
			if e, ok := values[ref]; ok {
				out[ref] = e
			} else {
				out[ref] = sdkRefErr(onepassword.NewResolveReferenceErrorTypeVariantItemNotFound())
			}
		}
		return onepassword.ResolveAllResponse{IndividualResponses: out}, nil
	}
}

// sdkFastRetry retries without waiting, so tests of retries take no time.
var sdkFastRetry = retryPolicy{waits: []time.Duration{0, 0, 0, 0}}

// sdkModeBackend serves a mode as the Resolver does: each id's reference
// comes from a table the test wrote, standing in for the id parser.
type sdkModeBackend struct {
	m    mode
	refs map[string]reference
}

func (mb sdkModeBackend) Resolve(ctx context.Context, b *sdk.Batch) error {
	refs := map[string]reference{}
	for _, id := range b.IDs {
		refs[id] = mb.refs[id]
	}
	return mb.m.resolve(ctx, b, refs)
}

// sdkServed is one run of a mode through the SDK's Serve.
type sdkServed struct {
	status int
	resp   protocol.Response
	stderr string
}

// serveSDK runs m on every id of refs through sdk.Serve, exactly as the
// binary would (request decoding, deadline, redaction, response), with
// --verbose so that stderr holds everything the mode logs.
func serveSDK(t *testing.T, m mode, refs map[string]reference, args ...string) sdkServed {
	t.Helper()
	ids := slices.Sorted(maps.Keys(refs))
	req := protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: "onepassword", IDs: ids})
	var stdout, stderr bytes.Buffer
	status := sdk.Serve(sdk.Program{Name: "openclaw-1password-resolver", Backend: sdkModeBackend{m, refs}},
		append([]string{"--verbose"}, args...), bytes.NewReader(req), &stdout, &stderr)
	s := sdkServed{status: status, stderr: stderr.String()}
	if status == sdk.ExitOK {
		if err := json.Unmarshal(stdout.Bytes(), &s.resp); err != nil {
			t.Fatalf("response %q: %v", stdout.String(), err)
		}
		if got := len(s.resp.Values) + len(s.resp.Errors); got != len(ids) {
			t.Fatalf("%d ids answered, want %d: %s", got, len(ids), stdout.String())
		}
	}
	return s
}

// value requires id to have exactly the value want.
func (s sdkServed) value(t *testing.T, id, want string) {
	t.Helper()
	if got, ok := s.resp.Values[id]; !ok || got != want {
		t.Errorf("%s = %q (answered %v, error %+v), want %q", id, got, ok, s.resp.Errors[id], want)
	}
}

// failed requires id to have failed with code, its message holding every
// phrase.
func (s sdkServed) failed(t *testing.T, id string, code protocol.Code, phrases ...string) {
	t.Helper()
	e, ok := s.resp.Errors[id]
	if !ok {
		t.Errorf("%s: no error (value %q), want %s", id, s.resp.Values[id], code)
		return
	}
	if e.Code != code {
		t.Errorf("%s: code %s (%s), want %s", id, e.Code, e.Message, code)
	}
	for _, p := range phrases {
		if !strings.Contains(e.Message, p) {
			t.Errorf("%s: message %q lacks %q", id, e.Message, p)
		}
	}
}

// noneOf requires that stderr quotes none of the strings.
func (s sdkServed) noneOf(t *testing.T, secrets ...string) {
	t.Helper()
	for _, v := range secrets {
		if v != "" && strings.Contains(s.stderr, v) {
			t.Errorf("stderr quotes %d-byte secret: %s", len(v), s.stderr)
		}
	}
}
