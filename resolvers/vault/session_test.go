package vault

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/agent"
	"github.com/execref/execref/sdk/sdktest"
)

// These tests drive one Resolver with many batches, concurrently, through
// the SDK's resolver server (what the agent and go-plugin serve), against
// a fake Vault that issues, renews and revokes login tokens: run with
// -race, they prove that batches share the kept login safely. The real
// Vault's tests are in vaulttest (agent_test.go).

// loginVault is the fake Vault with AppRole logins that each issue a new
// token, renew-self and revoke-self. Reads are slow enough for batches to
// overlap, and answered for live tokens only.
type loginVault struct {
	*fakeVault
	url       string
	ttl       int // lease of each token, seconds
	renewable bool
	renewTTL  int // lease a renewal gives, when not ttl: a token at its maximum TTL

	mu       sync.Mutex
	issued   []string
	revoked  map[string]bool
	renewals int
}

func newLoginVault(t *testing.T, ttl int, renewable bool) *loginVault {
	v := &loginVault{fakeVault: newFakeVault(t), ttl: ttl, renewable: renewable, revoked: map[string]bool{}}
	v.mounts["kv2/"] = fakeMount{kind: "kv", version: "2"}
	for i := range 4 {
		v.secrets[fmt.Sprintf("kv2/data/app%d", i)] = kv2(1, map[string]any{"key": fmt.Sprintf("kv2/app%d#key-value", i)})
	}
	srv := httptest.NewServer(http.HandlerFunc(v.serve))
	t.Cleanup(srv.Close)
	v.url = srv.URL
	return v
}

func (v *loginVault) serve(w http.ResponseWriter, r *http.Request) {
	reply := func(status int, body any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(body)
	}
	token := r.Header.Get("X-Vault-Token")
	v.mu.Lock()
	live := slices.Contains(v.issued, token) && !v.revoked[token]
	v.mu.Unlock()
	switch r.URL.Path {
	case "/v1/auth/approle/login":
		v.mu.Lock()
		token := fmt.Sprintf("hvs.login-token-%03d", len(v.issued)+1)
		v.issued = append(v.issued, token)
		v.mu.Unlock()
		reply(200, map[string]any{"auth": map[string]any{"client_token": token, "lease_duration": v.ttl, "renewable": v.renewable}})
	case "/v1/auth/token/renew-self":
		if !live || !v.renewable {
			reply(403, map[string]any{"errors": []string{"permission denied", "invalid token"}})
			return
		}
		v.mu.Lock()
		v.renewals++
		v.mu.Unlock()
		ttl := v.ttl
		if v.renewTTL != 0 {
			ttl = v.renewTTL
		}
		reply(200, map[string]any{"auth": map[string]any{"client_token": token, "lease_duration": ttl, "renewable": true}})
	case "/v1/auth/token/revoke-self":
		v.revoke(token)
		w.WriteHeader(http.StatusNoContent)
	default:
		if live {
			time.Sleep(2 * time.Millisecond) // long enough for batches to overlap
			r.Header.Set("X-Vault-Token", v.token)
		}
		v.fakeVault.serve(w, r)
	}
}

func (v *loginVault) revoke(token string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.revoked[token] = true
}

// tokens returns the tokens issued, the revoked ones, and the renewals.
func (v *loginVault) tokens() (issued, revoked []string, renewals int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, t := range v.issued {
		if v.revoked[t] {
			revoked = append(revoked, t)
		}
	}
	return slices.Clone(v.issued), revoked, v.renewals
}

// server is an AppRole-configured Resolver behind the SDK's resolver
// server, its diagnostics (--verbose) in log.
func (v *loginVault) server(t *testing.T, log io.Writer) (*Resolver, agent.Handler) {
	t.Helper()
	env := map[string]string{"VAULT_ADDR": v.url, "VAULT_ROLE_ID": "role", "VAULT_SECRET_ID": "secret-id-s3cr3t"}
	r := New()
	r.lookupEnv = func(k string) (string, bool) { val, ok := env[k]; return val, ok }
	srv, err := sdk.NewResolverServer(sdk.Program{Name: "openclaw-vault-resolver", Backend: r}, []string{"--auth", "approle", "--verbose"}, log)
	if err != nil {
		t.Fatal(err)
	}
	return r, srv
}

// batchIDs are the fake's ids; each value names its own id.
var batchIDs = []string{"kv2/app0#key", "kv2/app1#key", "kv2/app2#key", "kv2/app3#key"}

// resolveBatch resolves batchIDs and reports what is wrong with the
// answer: "" when every id has its own value.
func resolveBatch(srv agent.Handler) string {
	out := sdktest.Batch(context.Background(), srv, "vault", batchIDs...)
	switch {
	case out.Failure != nil:
		return "failure: " + out.Failure.Reason
	case out.Response == nil:
		return fmt.Sprintf("no response: %+v", out)
	}
	for _, id := range batchIDs {
		if v := out.Response.Values[id]; v != id+"-value" {
			return fmt.Sprintf("%s: %q, error %v", id, v, out.Response.Errors[id])
		}
	}
	return ""
}

// concurrently runs n goroutines of m batches each and fails t with every
// wrong answer.
func concurrently(t *testing.T, srv agent.Handler, n, m int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan string, n*m)
	for range n {
		wg.Go(func() {
			for range m {
				if e := resolveBatch(srv); e != "" {
					errs <- e
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// A long-lived token: one login for every batch, however concurrent; the
// token is revoked on Close, and never printed.
func TestKeptLoginSharedByConcurrentBatches(t *testing.T) {
	v := newLoginVault(t, 3600, true)
	log := &sdktest.Buffer{} // written by concurrent batches
	r, srv := v.server(t, log)
	concurrently(t, srv, 8, 4)
	issued, revoked, renewals := v.tokens()
	if len(issued) != 1 || len(revoked) != 0 || renewals != 0 {
		t.Errorf("32 batches: %d logins, %d revoked, %d renewals; want 1, 0, 0", len(issued), len(revoked), renewals)
	}
	if n := strings.Count(log.String(), "Vault login: reused"); n != 31 {
		t.Errorf("%d batches reused the login, want 31:\n%s", n, log)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, revoked, _ = v.tokens(); len(revoked) != 1 {
		t.Errorf("after Close, %d tokens revoked, want 1", len(revoked))
	}
	for _, s := range append(issued, "secret-id-s3cr3t") {
		if strings.Contains(log.String(), s) {
			t.Errorf("the log holds a credential:\n%s", log)
		}
	}
	// After Close, a batch logs in anew.
	if e := resolveBatch(srv); e != "" {
		t.Fatal(e)
	}
	if issued, _, _ = v.tokens(); len(issued) != 2 {
		t.Errorf("%d logins after Close and a batch, want 2", len(issued))
	}
}

// A token too short-lived to keep (its ttl under warm's margin) is
// renewed by every batch when renewable, and replaced by a new login when
// not, or when a renewal would shorten its life (its maximum TTL); a
// replaced token is revoked only once no batch reads with it, so that
// concurrent batches all get their values.
func TestKeptLoginShortTTL(t *testing.T) {
	t.Run("renewable", func(t *testing.T) {
		v := newLoginVault(t, 2, true)
		r, srv := v.server(t, io.Discard)
		for range 3 {
			if e := resolveBatch(srv); e != "" {
				t.Fatal(e)
			}
		}
		issued, revoked, renewals := v.tokens()
		if len(issued) != 1 || len(revoked) != 0 || renewals != 2 {
			t.Errorf("3 batches: %d logins, %d revoked, %d renewals; want 1, 0, 2", len(issued), len(revoked), renewals)
		}
		r.Close()
	})
	t.Run("at its maximum TTL", func(t *testing.T) {
		// Renewed for less than it had left: replaced by a new login.
		v := newLoginVault(t, 3, true)
		v.renewTTL = 1
		r, srv := v.server(t, io.Discard)
		for range 3 {
			if e := resolveBatch(srv); e != "" {
				t.Fatal(e)
			}
		}
		issued, revoked, renewals := v.tokens()
		if len(issued) != 3 || len(revoked) != 2 || renewals != 2 {
			t.Errorf("3 batches: %d logins, %d revoked, %d renewals; want 3, 2, 2", len(issued), len(revoked), renewals)
		}
		r.Close()
	})
	t.Run("not renewable", func(t *testing.T) {
		v := newLoginVault(t, 2, false)
		r, srv := v.server(t, io.Discard)
		for range 3 {
			if e := resolveBatch(srv); e != "" {
				t.Fatal(e)
			}
		}
		issued, revoked, _ := v.tokens()
		if len(issued) != 3 || len(revoked) != 2 {
			t.Errorf("3 batches: %d logins, %d revoked; want 3, 2", len(issued), len(revoked))
		}
		r.Close()
		if _, revoked, _ = v.tokens(); len(revoked) != 3 {
			t.Errorf("after Close, %d of 3 tokens revoked", len(revoked))
		}
	})
	t.Run("not renewable, concurrent", func(t *testing.T) {
		v := newLoginVault(t, 2, false)
		r, srv := v.server(t, io.Discard)
		concurrently(t, srv, 8, 3)
		r.Close()
		issued, revoked, _ := v.tokens()
		if len(issued) < 2 || len(revoked) != len(issued) {
			t.Errorf("%d logins, %d revoked after Close; want several, all revoked", len(issued), len(revoked))
		}
	})
}

// A token revoked behind the resolver's back: the batch that finds it
// fails as a whole (the exec side then resolves cold), and the next one
// logs in anew.
func TestKeptLoginRevokedBehindItsBack(t *testing.T) {
	v := newLoginVault(t, 3600, true)
	log := &sdktest.Buffer{} // written by concurrent batches
	r, srv := v.server(t, log)
	defer r.Close()
	if e := resolveBatch(srv); e != "" {
		t.Fatal(e)
	}
	issued, _, _ := v.tokens()
	v.revoke(issued[0])
	if e := resolveBatch(srv); !strings.Contains(e, "Vault refused the token") {
		t.Errorf("the batch with a revoked token: %q, want a failure naming the refused token", e)
	}
	if e := resolveBatch(srv); e != "" {
		t.Fatal(e)
	}
	if issued, _, _ = v.tokens(); len(issued) != 2 {
		t.Errorf("%d logins, want 2 (the second after the refusal)", len(issued))
	}
	if !strings.Contains(log.String(), "the next batch logs in anew") {
		t.Errorf("the log does not say the token was forgotten:\n%s", log)
	}
}
