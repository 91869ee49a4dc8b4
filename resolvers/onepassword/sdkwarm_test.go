package onepassword

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	onepassword "github.com/1password/onepassword-sdk-go"
	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/agent"
	"github.com/execref/execref/sdk/sdktest"
)

// These tests serve sdk mode batch after batch from one Resolver, as the
// agent and go-plugin do: through sdk.NewResolverServer, the batch path
// of both (request checks, deadline, redaction, response), without the
// socket. The SDK's core and sign-in are replaced (no 1Password account
// can sign in here, and the real core's compilation, minutes under the
// race detector, is not what is tested): the core counts its loads, and
// each sign-in hands out a client of its own, numbered, whose ResolveAll
// answers from a table of values that hold their own item's name. The
// real SDK in a long-lived process is tested by
// TestSDKModeAgentBinaryCompilesOnce.

// warmSDK is one long-lived sdk-mode Resolver with a fake SDK.
type warmSDK struct {
	r      *Resolver
	srv    agent.Handler
	stderr sdktest.Buffer // shared by concurrent batches
	loads  atomic.Int32

	mu      sync.Mutex
	signIns []string // the token of each sign-in
	// signInErr, when set, fails the next sign-in.
	signInErr error
	// fail, when set, is how a client's ResolveAll fails instead of
	// answering; client counts from 1.
	fail func(ctx context.Context, client int) error
	// signInDelay makes each sign-in take that long, so that concurrent
	// batches overlap it.
	signInDelay time.Duration
}

// startWarmSDK serves a Resolver with env as its environment and args as
// the provider's args (--mode sdk --verbose are added).
func startWarmSDK(t *testing.T, env map[string]string, args ...string) *warmSDK {
	t.Helper()
	w := &warmSDK{r: New()}
	w.r.lookupEnv = func(name string) (string, bool) { v, ok := env[name]; return v, ok }
	w.r.sdk.loadCore = func(context.Context) (*sdkCore, error) {
		w.loads.Add(1)
		return &sdkCore{validate: func(_ context.Context, ref string) error {
			if strings.Contains(ref, "?attribute=type") {
				return errors.New("invalid query parameter value in the secret reference")
			}
			return nil
		}}, nil
	}
	w.r.sdk.signIn = w.signIn
	srv, err := sdk.NewResolverServer(sdk.Program{Name: "openclaw-1password-resolver", Backend: w.r},
		append([]string{"--mode", "sdk", "--verbose"}, args...), &w.stderr)
	if err != nil {
		t.Fatal(err)
	}
	w.srv = srv
	t.Cleanup(func() {
		if err := w.r.Close(); err != nil {
			t.Error(err)
		}
		for _, token := range w.tokens() {
			if strings.Contains(w.stderr.String(), token) {
				t.Errorf("stderr quotes a token: %s", w.stderr.String())
			}
		}
		if strings.Contains(w.stderr.String(), "secret-of-") {
			t.Errorf("stderr quotes a value: %s", w.stderr.String())
		}
	})
	return w
}

func (w *warmSDK) signIn(ctx context.Context, token string) (*sdkClient, error) {
	time.Sleep(w.signInDelay)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.signIns = append(w.signIns, token)
	if err := w.signInErr; err != nil {
		w.signInErr = nil
		return nil, err
	}
	n := len(w.signIns)
	return &sdkClient{secrets: &fakeSecrets{answer: func(ctx context.Context, _ int, refs []string) (onepassword.ResolveAllResponse, error) {
		w.mu.Lock()
		fail := w.fail
		w.mu.Unlock()
		if fail != nil {
			if err := fail(ctx, n); err != nil {
				return onepassword.ResolveAllResponse{}, err
			}
		}
		out := map[string]sdkEntry{}
		for _, ref := range refs {
			out[ref] = sdkSecret(fmt.Sprintf("secret-of-%s-from-client-%d", strings.TrimPrefix(ref, "op://"), n))
		}
		return onepassword.ResolveAllResponse{IndividualResponses: out}, nil
	}}, token: token}, nil
}

func (w *warmSDK) tokens() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.signIns...)
}

func (w *warmSDK) set(f func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	f()
}

// batch resolves ids as one batch and returns the agent's answer.
func (w *warmSDK) batch(t *testing.T, ids ...string) agent.Reply {
	t.Helper()
	return sdktest.Batch(context.Background(), w.srv, "onepassword", ids...)
}

// wantValues requires every id to have the value of its own reference,
// from the client numbered client.
func wantValues(t *testing.T, out agent.Reply, client int, ids ...string) {
	t.Helper()
	if f := out.Failure; f != nil {
		t.Fatalf("the batch failed (exit %d): %s", f.ExitStatus, f.Reason)
	}
	if out.Response == nil {
		t.Fatalf("no response: %+v", out)
	}
	for _, id := range ids {
		got, ok := out.Response.Values[id].(string)
		if !ok {
			t.Errorf("%s: no value, error %v", id, out.Response.Errors[id])
			continue
		}
		if want := fmt.Sprintf("secret-of-%s-from-client-%d", id, client); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
}

// idError is the batch's error for id, zero when there is none.
func idError(out agent.Reply, id string) protocol.Error {
	if out.Response == nil {
		return protocol.Error{}
	}
	return out.Response.Errors[id]
}

// failureOf is the batch's whole failure, zero when there is none.
func failureOf(out agent.Reply) agent.Failure {
	if out.Failure == nil {
		return agent.Failure{}
	}
	return *out.Failure
}

// wantLines requires stderr to hold each line exactly n times.
func (w *warmSDK) wantLines(t *testing.T, counts map[string]int) {
	t.Helper()
	all := w.stderr.String()
	for phrase, n := range counts {
		if got := strings.Count(all, phrase); got != n {
			t.Errorf("%q %d times on stderr, want %d:\n%s", phrase, got, n, all)
		}
	}
}

func (w *warmSDK) signInCount() int { return len(w.tokens()) }

func TestSDKAgentKeepsCoreAndClient(t *testing.T) {
	w := startWarmSDK(t, map[string]string{envServiceAccountToken: "ops_kept-token"})
	for i := range 3 {
		ids := []string{fmt.Sprintf("Private/item-%d/password", i), fmt.Sprintf("Shared/item-%d/api-key", i)}
		wantValues(t, w.batch(t, ids...), 1, ids...)
	}
	if n := w.loads.Load(); n != 1 {
		t.Errorf("the core was loaded %d times, want once", n)
	}
	if n := w.signInCount(); n != 1 {
		t.Errorf("%d sign-ins for three batches, want one", n)
	}
	w.wantLines(t, map[string]int{
		"1Password SDK core: opened": 1, "1Password SDK core: reused": 2,
		"1Password SDK client: opened": 1, "1Password SDK client: reused": 2,
	})
	if err := w.r.Close(); err != nil || w.r.sdk.client.Held() {
		t.Errorf("Close: %v; client still held: %v", err, w.r.sdk.client.Held())
	}
}

// A batch whose every reference the SDK's parser refuses is answered
// without signing in.
func TestSDKAgentRefusedSyntaxNeedsNoSignIn(t *testing.T) {
	w := startWarmSDK(t, map[string]string{envServiceAccountToken: "ops_unused-token"})
	id, err := encodeID("op://Private/item-1/password?attribute=type")
	if err != nil {
		t.Fatal(err)
	}
	out := w.batch(t, id)
	if e := idError(out, id); e.Code != protocol.InvalidID || !strings.Contains(e.Message, "op://Private/item-1/password?attribute=type") {
		t.Errorf("%s: %v, want INVALID_ID naming its reference", id, e)
	}
	if n := w.signInCount(); n != 0 || w.loads.Load() != 1 {
		t.Errorf("%d sign-ins and %d core loads, want none and one", n, w.loads.Load())
	}
}

// A client whose ResolveAll failed as a whole is dropped, and the next
// batch signs in again; throttling alone keeps it.
func TestSDKAgentDropsFailedClient(t *testing.T) {
	for _, c := range []struct {
		name   string
		err    func(ctx context.Context) error
		args   []string
		status int // the failing batch's exit status; 0: answered per id
		reason string
		code   protocol.Code
		kept   bool
	}{
		{name: "token refused", err: func(context.Context) error {
			return errors.New("authentication error: you are not authenticated")
		}, status: sdk.ExitNoPerm, reason: "1Password refused the service account token"},
		{name: "client lost by the core", err: func(context.Context) error {
			return errors.New("an internal error occurred, please contact 1Password at support@1password.com: invalid client id")
		}, status: sdk.ExitUnavailable, reason: "the 1Password SDK's core no longer knows the client"},
		{name: "network failed midway", err: func(context.Context) error {
			return errors.New(`Post "https://my.1password.com/api/v1/vault": dial tcp: connection refused (recovered by wazero)`)
		}, status: sdk.ExitUnavailable, reason: "1Password could not be reached"},
		{name: "deadline passed midway", err: func(ctx context.Context) error {
			<-ctx.Done()
			return errors.New(`Post "https://my.1password.com/api/v1/vault": context deadline exceeded (recovered by wazero)`)
		}, args: []string{"--timeout", "300ms"}, code: protocol.Timeout},
		{name: "throttled", err: func(context.Context) error {
			return &onepassword.RateLimitExceededError{}
		}, args: []string{"--timeout", "1s"}, code: protocol.RateLimited, kept: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := startWarmSDK(t, map[string]string{envServiceAccountToken: "ops_token-" + strings.ReplaceAll(c.name, " ", "-")}, c.args...)
			wantValues(t, w.batch(t, "Private/before/password"), 1, "Private/before/password")

			w.set(func() {
				w.fail = func(ctx context.Context, client int) error {
					if client == 1 {
						return c.err(ctx)
					}
					return nil
				}
			})
			out := w.batch(t, "Private/during/password")
			if c.status != 0 {
				if f := failureOf(out); f.ExitStatus != c.status || !strings.Contains(f.Reason, c.reason) {
					t.Errorf("failing batch: %v, want exit %d saying %q", out, c.status, c.reason)
				}
			} else if e := idError(out, "Private/during/password"); e.Code != c.code {
				t.Errorf("failing batch: %v, want %s", out, c.code)
			}
			// At the deadline the batch is answered at once, while its
			// Resolve still returns from the call: wait for it.
			for end := time.Now().Add(5 * time.Second); !c.kept && w.r.sdk.client.Held() && time.Now().Before(end); {
				time.Sleep(10 * time.Millisecond)
			}
			if held := w.r.sdk.client.Held(); held != c.kept {
				t.Errorf("client held after the failure: %v, want %v", held, c.kept)
			}

			w.set(func() { w.fail = nil })
			client := 2
			if c.kept {
				client = 1
			}
			wantValues(t, w.batch(t, "Private/after/password"), client, "Private/after/password")
			if n := w.signInCount(); n != client {
				t.Errorf("%d sign-ins, want %d", n, client)
			}
		})
	}
}

// A refused sign-in keeps nothing: the next batch tries again.
func TestSDKAgentRefusedSignInIsNotKept(t *testing.T) {
	w := startWarmSDK(t, map[string]string{envServiceAccountToken: "ops_refused-then-accepted"})
	w.set(func() {
		w.signInErr = fmt.Errorf("%w: 1Password refused the service account token (authentication error: you are not authenticated)", protocol.Unauthenticated)
	})
	if f := failureOf(w.batch(t, "Private/first/password")); f.ExitStatus != sdk.ExitNoPerm || !strings.Contains(f.Reason, "refused the service account token") {
		t.Errorf("first batch: %v, want exit %d for the refused token", f, sdk.ExitNoPerm)
	}
	if w.r.sdk.client.Held() {
		t.Error("a client is held after a refused sign-in")
	}
	wantValues(t, w.batch(t, "Private/second/password"), 2, "Private/second/password")
	w.wantLines(t, map[string]int{"1Password SDK client: opened": 1, "1Password SDK core: reused": 1})
}

// Concurrent batches share one core load and one sign-in, and each gets
// its own values.
func TestSDKAgentConcurrentBatches(t *testing.T) {
	w := startWarmSDK(t, map[string]string{envServiceAccountToken: "ops_concurrent-token"})
	w.signInDelay = 50 * time.Millisecond
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids := []string{fmt.Sprintf("Private/batch-%d/password", i), fmt.Sprintf("Private/batch-%d/token", i)}
			wantValues(t, w.batch(t, ids...), 1, ids...)
		}()
	}
	wg.Wait()
	if n := w.signInCount(); n != 1 || w.loads.Load() != 1 {
		t.Errorf("%d sign-ins and %d core loads for 8 concurrent batches, want one each", n, w.loads.Load())
	}
}

// A token file replaced while the process runs: the next batch signs in
// with the new token rather than answer with the old one's client.
func TestSDKAgentTokenReplaced(t *testing.T) {
	file := filepath.Join(t.TempDir(), "token")
	write := func(token string) {
		if err := os.WriteFile(file, []byte(token+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("ops_first-token")
	w := startWarmSDK(t, nil, "--token-file", file)
	wantValues(t, w.batch(t, "Private/a/password"), 1, "Private/a/password")
	wantValues(t, w.batch(t, "Private/b/password"), 1, "Private/b/password")
	write("ops_second-token")
	wantValues(t, w.batch(t, "Private/c/password"), 2, "Private/c/password")
	wantValues(t, w.batch(t, "Private/d/password"), 2, "Private/d/password")
	if got := w.tokens(); len(got) != 2 || got[0] != "ops_first-token" || got[1] != "ops_second-token" {
		t.Errorf("signed in %d times, want once with each token in turn", len(got))
	}
	w.wantLines(t, map[string]int{"signed in with another service-account token": 1})
}
