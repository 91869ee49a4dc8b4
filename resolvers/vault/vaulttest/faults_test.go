package vaulttest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/vault/vaulttest/server"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/host"
)

// These tests put a proxy (server.Proxy) between the resolver and Vault
// for what Vault will not do on demand.

const lookupPrefix = "/v1/sys/internal/ui/mounts/"

// refuseLookups answers every mount lookup 403, as Vault does for a token
// with no capability under the mount, or a proxy that blocks sys/.
func refuseLookups(w http.ResponseWriter, r *http.Request, next http.Handler) {
	if strings.HasPrefix(r.URL.Path, lookupPrefix) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"errors":["preflight capability check returned 403, please ensure client's policies grant access to path \"`+strings.TrimPrefix(r.URL.Path, lookupPrefix)+`/\""]}`)
		return
	}
	next.ServeHTTP(w, r)
}

func countLookups(reqs []server.Request) int {
	n := 0
	for _, r := range reqs {
		if strings.HasPrefix(r.Path, lookupPrefix) {
			n++
		}
	}
	return n
}

// When the mount lookup is refused, the mount is the first segment and the
// version --kv-version, else 2; the refused lookup is still made once per
// mount, not once per secret.
func TestMountLookupRefused(t *testing.T) {
	s := server.Start(t)
	px := server.NewProxy(t, s.Addr)
	px.SetHook(refuseLookups)

	// Default: KV v2 at the first segment.
	res := ok(t, tokenProvider(px.URL, s.RootToken), "kv2/app/openai#apiKey", "kv2/app/openai:v1#apiKey", "kv2/app/single#token",
		"kv2/app/deep/nested/path#key", "kv2/app/rotated#token", "kv1/db#password", "team/apps/web#token")
	expectValues(t, res, map[string]string{"kv2/app/openai#apiKey": server.OpenAIKey, "kv2/app/openai:v1#apiKey": server.OpenAIKeyV1,
		"kv2/app/single#token": server.SingleToken, "kv2/app/deep/nested/path#key": server.DeepValue})
	expectCode(t, res, "kv2/app/rotated#token", protocol.NotFound, "deleted")
	// kv1/ is KV v1, read as v2 (kv1/data/db): nothing there.
	expectCode(t, res, "kv1/db#password", protocol.NotFound)
	// team/apps/ is two segments: taken as mount team/, nothing there.
	if c := codeOf(res["team/apps/web#token"]); c != protocol.NotFound && c != protocol.PermissionDenied {
		t.Errorf("team/apps/web#token without the lookup: %v", res["team/apps/web#token"].Err)
	}
	if n := countLookups(px.Requests()); n != 3 {
		t.Errorf("%d refused lookups for 3 first segments (kv2, kv1, team), want 3", n)
	}

	// --kv-version 1: KV v1 mounts read, and a version pin is INVALID_ID.
	res = ok(t, tokenProvider(px.URL, s.RootToken, "--kv-version", "1"), "kv1/db#password", "secret/providers/openai#apiKey",
		"providers/github/token", "kv1/db:v2#password")
	expectValues(t, res, map[string]string{"kv1/db#password": server.KV1Password, "secret/providers/openai#apiKey": server.SecretAPI,
		"providers/github/token": server.GitHubToken})
	expectCode(t, res, "kv1/db:v2#password", protocol.InvalidID)

	// --kv-version 2.
	res = ok(t, tokenProvider(px.URL, s.RootToken, "--kv-version", "2"), "kv2/app/openai#apiKey", "bench/p01#f001")
	expectValues(t, res, map[string]string{"kv2/app/openai#apiKey": server.OpenAIKey, "bench/p01#f001": server.BenchValue(1, 1)})
}

// --namespace and VAULT_NAMESPACE send X-Vault-Namespace on every request,
// the login's included. Vault OSS has no namespaces and ignores the
// header (the audit log records every request in the root namespace), so
// the values still come from the root namespace here: what a namespace
// selects can only be tested against Vault Enterprise.
func TestNamespace(t *testing.T) {
	s := server.Start(t)
	px := server.NewProxy(t, s.Addr)
	a := s.AppRole
	for name, p := range map[string]host.Provider{
		"flag":            tokenProvider(px.URL, s.RootToken, "--namespace", "team-a"),
		"VAULT_NAMESPACE": provider(px.URL, map[string]string{"VAULT_TOKEN": s.RootToken, "VAULT_NAMESPACE": "team-a"}),
		"approle":         provider(px.URL, map[string]string{"VAULT_ROLE_ID": a.RoleID, "VAULT_SECRET_ID": a.SecretID, "VAULT_NAMESPACE": "team-a"}, "--auth", "approle"),
	} {
		t.Run(name, func(t *testing.T) {
			px.Reset()
			mark := s.Audit.Mark()
			res := ok(t, p, "kv2/app/openai#apiKey", "kv1/db#password")
			expectValues(t, res, map[string]string{"kv2/app/openai#apiKey": server.OpenAIKey, "kv1/db#password": server.KV1Password})
			reqs := px.Requests()
			if len(reqs) == 0 {
				t.Fatal("no request reached Vault")
			}
			for _, r := range reqs {
				if r.Namespace != "team-a" {
					t.Errorf("%s %s: X-Vault-Namespace %q", r.Method, r.Path, r.Namespace)
				}
			}
			entries, _ := s.Audit.Since(mark)
			for _, e := range server.Requests(entries, "") {
				if e.Request.Namespace.ID != "root" {
					t.Errorf("audited in namespace %q", e.Request.Namespace.ID)
				}
			}
		})
	}
	// Without the flag, no header.
	px.Reset()
	ok(t, tokenProvider(px.URL, s.RootToken), "kv2/app/openai#apiKey")
	for _, r := range px.Requests() {
		if r.Namespace != "" {
			t.Errorf("X-Vault-Namespace %q without --namespace", r.Namespace)
		}
	}
}

// Vault unreachable at the first request: exit 69, one stderr line.
func TestUnreachable(t *testing.T) {
	s := server.Start(t)
	addr := server.FreeAddr(t)
	msg := quiet(t, tokenProvider(addr, s.RootToken), sdk.ExitUnavailable, "kv2/app/openai#apiKey", "kv1/db#password")
	t.Logf("unreachable: %s", msg)
	fails(t, tokenProvider(addr, s.RootToken, "--kv-version", "2"), sdk.ExitUnavailable, "", "kv2/app/openai#apiKey")
	a := s.AppRole
	fails(t, provider(addr, map[string]string{"VAULT_ROLE_ID": a.RoleID, "VAULT_SECRET_ID": a.SecretID}, "--auth", "approle"), sdk.ExitUnavailable, "", "kv2/app/openai#apiKey")
	// Something that is not Vault answering 404 to everything at the
	// address: not a value, not a hang.
	px := server.NewProxy(t, s.Addr)
	px.SetHook(func(w http.ResponseWriter, r *http.Request, next http.Handler) { http.NotFound(w, r) })
	o := exec(t, tokenProvider(px.URL, s.RootToken), "kv2/app/openai#apiKey")
	if o.run.ExitCode == 0 && o.resp["kv2/app/openai#apiKey"].Err == nil {
		t.Error("a value from a server answering 404")
	}
}

// Vault dies after the first reads of a batch: the ids already read keep
// their values, the others get UNAVAILABLE (or TIMEOUT, if retrying the
// connection outlasts the deadline), and the exit status is 0.
func TestVaultDiesMidBatch(t *testing.T) {
	s := server.Start(t)
	px := server.NewProxy(t, s.Addr)
	var mu sync.Mutex
	served := map[string]bool{} // bench/pNN paths Vault answered
	px.SetHook(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		path, isRead := strings.CutPrefix(r.URL.Path, "/v1/bench/data/")
		if !isRead {
			next.ServeHTTP(w, r)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if len(served) >= 3 {
			px.Kill()
			return
		}
		next.ServeHTTP(w, r)
		served[path] = true
		if len(served) == 3 {
			w.(http.Flusher).Flush()
			go func() { time.Sleep(20 * time.Millisecond); px.Kill() }()
		}
	})
	batch, want := server.BenchIDs(16, 8) // 8 paths, 2 fields each
	o := exec(t, tokenProvider(px.URL, s.RootToken, "--concurrency", "1"), batch...)
	if o.run.ExitCode != 0 {
		t.Fatalf("exit %d, stderr: %s", o.run.ExitCode, o.run.Stderr)
	}
	values, failed := 0, map[protocol.Code]int{}
	for _, id := range batch {
		path := strings.SplitN(strings.TrimPrefix(id, "bench/"), "#", 2)[0]
		r := o.resp[id]
		if served[path] {
			values++
			if r.Err != nil || r.Value != want[id] {
				t.Errorf("%s was read before Vault died, but: %v", id, r.Err)
			}
			continue
		}
		c := codeOf(r)
		failed[c]++
		if c != protocol.Unavailable && c != protocol.Timeout {
			t.Errorf("%s: %v, want UNAVAILABLE (or TIMEOUT)", id, r.Err)
		}
	}
	if values != 6 {
		t.Errorf("%d values, want the 6 ids of the 3 paths read", values)
	}
	t.Logf("after Vault died: %v, in %v", failed, o.run.Duration)
}

// Vault dies after the mount lookup, before the first read was answered:
// either a provider failure (69, nothing read at all) or, if the resolver
// counts the batch as started, exit 0 with every id UNAVAILABLE or
// TIMEOUT. Never a value, never a hang.
func TestVaultDiesBeforeFirstRead(t *testing.T) {
	s := server.Start(t)
	px := server.NewProxy(t, s.Addr)
	px.SetHook(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if strings.HasPrefix(r.URL.Path, "/v1/bench/data/") {
			px.Kill()
			return
		}
		next.ServeHTTP(w, r)
	})
	batch, _ := server.BenchIDs(8, 4)
	o := exec(t, tokenProvider(px.URL, s.RootToken), batch...)
	switch o.run.ExitCode {
	case sdk.ExitUnavailable:
		if len(o.run.Stdout) != 0 {
			t.Error("exit 69 with a response")
		}
	case 0:
		for _, id := range batch {
			if c := codeOf(o.resp[id]); c != protocol.Unavailable && c != protocol.Timeout {
				t.Errorf("%s: %v", id, o.resp[id].Err)
			}
		}
	default:
		t.Errorf("exit %d: %s", o.run.ExitCode, o.run.Stderr)
	}
	t.Logf("Vault gone before the first read: exit %d, %s, in %v", o.run.ExitCode, lastLine(o.run.Stderr), o.run.Duration)
}

// The core is sealed after the first reads: Vault answers 503 to every
// later read; they are retried within the deadline, then UNAVAILABLE.
func TestVaultSealedMidBatch(t *testing.T) {
	s := server.Start(t)
	px := server.NewProxy(t, s.Addr)
	var n atomic.Int32
	px.SetHook(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		next.ServeHTTP(w, r)
		if strings.HasPrefix(r.URL.Path, "/v1/bench/data/") && n.Add(1) == 2 {
			if err := s.Seal(); err != nil {
				t.Errorf("seal: %v", err)
			}
		}
	})
	batch, _ := server.BenchIDs(8, 4)
	o := exec(t, tokenProvider(px.URL, s.RootToken, "--concurrency", "1"), batch...)
	if o.run.ExitCode != 0 {
		t.Fatalf("exit %d, stderr: %s", o.run.ExitCode, o.run.Stderr)
	}
	codes := map[protocol.Code]int{}
	for _, id := range batch {
		codes[codeOf(o.resp[id])]++
	}
	if codes[""] != 4 || codes[protocol.Unavailable] != 4 {
		t.Errorf("outcomes %v, want 4 values and 4 UNAVAILABLE", codes)
	}
	t.Logf("outcomes %v in %v", codes, o.run.Duration)
}

// 429 and 5xx are retried with backoff: a read that fails twice then
// succeeds gives its value; one that is always throttled is RATE_LIMITED,
// one that always fails UNAVAILABLE, both before the deadline; the other
// ids are unaffected.
func TestRetries(t *testing.T) {
	s := server.Start(t)
	px := server.NewProxy(t, s.Addr)
	var mu sync.Mutex
	attempts := map[string]int{}
	px.SetHook(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		mu.Lock()
		attempts[r.URL.Path]++
		k := attempts[r.URL.Path]
		mu.Unlock()
		switch {
		case r.URL.Path == "/v1/bench/data/p01" && k <= 2:
			http.Error(w, `{"errors":["try again"]}`, http.StatusServiceUnavailable)
		case r.URL.Path == "/v1/bench/data/p02":
			w.Header().Set("Retry-After", "0")
			http.Error(w, `{"errors":["request rate limit exceeded"]}`, http.StatusTooManyRequests)
		case r.URL.Path == "/v1/bench/data/p03":
			http.Error(w, `{"errors":["internal error"]}`, http.StatusInternalServerError)
		default:
			next.ServeHTTP(w, r)
		}
	})
	mark := s.Audit.Mark()
	o := exec(t, tokenProvider(px.URL, s.RootToken), "bench/p00#f000", "bench/p01#f000", "bench/p02#f000", "bench/p03#f000")
	if o.run.ExitCode != 0 {
		t.Fatalf("exit %d: %s", o.run.ExitCode, o.run.Stderr)
	}
	expectValues(t, o.resp, map[string]string{"bench/p00#f000": server.BenchValue(0, 0), "bench/p01#f000": server.BenchValue(1, 0)})
	expectCode(t, o.resp, "bench/p02#f000", protocol.RateLimited)
	expectCode(t, o.resp, "bench/p03#f000", protocol.Unavailable)
	mu.Lock()
	if attempts["/v1/bench/data/p01"] != 3 || attempts["/v1/bench/data/p02"] < 2 || attempts["/v1/bench/data/p03"] < 2 {
		t.Errorf("attempts %v", attempts)
	}
	mu.Unlock()
	if n := auditReads(t, s, mark, "bench/data/p01")["read bench/data/p01"]; n != 1 {
		t.Errorf("Vault saw %d reads of p01, want 1", n)
	}
	if o.run.Duration > 4*time.Second {
		t.Errorf("took %v", o.run.Duration)
	}
	t.Logf("attempts %v in %v", attempts, o.run.Duration)
}

// Redirects are not followed: a 307 to the real Vault (with the token the
// resolver would carry along) fails the id; Vault never sees the read.
func TestRedirectNotFollowed(t *testing.T) {
	s := server.Start(t)
	px := server.NewProxy(t, s.Addr)
	px.SetHook(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.URL.Path == "/v1/kv2/data/app/single" {
			http.Redirect(w, r, s.Addr+r.URL.RequestURI(), http.StatusTemporaryRedirect)
			return
		}
		next.ServeHTTP(w, r)
	})
	mark := s.Audit.Mark()
	o := exec(t, tokenProvider(px.URL, s.RootToken), "kv2/app/single#token", "kv2/app/openai#apiKey")
	if o.run.ExitCode != 0 {
		t.Fatalf("exit %d: %s", o.run.ExitCode, o.run.Stderr)
	}
	expectValues(t, o.resp, map[string]string{"kv2/app/openai#apiKey": server.OpenAIKey})
	if err := o.resp["kv2/app/single#token"].Err; !errors.Is(err, protocol.Unavailable) || !strings.Contains(err.Error(), "refused to follow a redirect") {
		t.Errorf("the redirected id: %v, want UNAVAILABLE saying the redirect was refused", err)
	}
	if n := auditReads(t, s, mark, "kv2/data/app/single")["read kv2/data/app/single"]; n != 0 {
		t.Errorf("Vault saw %d reads of the redirected path", n)
	}
	t.Logf("redirect: %v", o.resp["kv2/app/single#token"].Err)
}

// A response body far over any KV secret's size fails its id and is not
// read to the end; the batch goes on.
func TestHugeBody(t *testing.T) {
	s := server.Start(t)
	px := server.NewProxy(t, s.Addr)
	const total = 256 << 20
	var written atomic.Int64
	px.SetHook(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.URL.Path != "/v1/kv2/data/app/single" {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"data":{"data":{"token":"`)
		chunk := []byte(strings.Repeat("A", 64<<10))
		for written.Load() < total {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
		io.WriteString(w, `"}}}`)
	})
	start := time.Now()
	o := exec(t, tokenProvider(px.URL, s.RootToken), "kv2/app/single#token", "kv2/app/openai#apiKey")
	if o.run.ExitCode != 0 {
		t.Fatalf("exit %d: %s", o.run.ExitCode, o.run.Stderr)
	}
	expectValues(t, o.resp, map[string]string{"kv2/app/openai#apiKey": server.OpenAIKey})
	if o.resp["kv2/app/single#token"].Err == nil {
		t.Error("a 256 MiB value was accepted")
	}
	if w := written.Load(); w >= total {
		t.Errorf("the resolver read all %d bytes", w)
	}
	t.Logf("huge body: %v after %d bytes sent, %v", o.resp["kv2/app/single#token"].Err, written.Load(), time.Since(start))
}

// Reads are bounded by --concurrency: never more Vault requests in flight.
func TestConcurrencyBound(t *testing.T) {
	s := server.Start(t)
	px := server.NewProxy(t, s.Addr)
	var inFlight, peak atomic.Int32
	px.SetHook(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(10 * time.Millisecond)
		next.ServeHTTP(w, r)
		inFlight.Add(-1)
	})
	batch, want := server.BenchIDs(128, 64)
	for _, c := range []int{1, 3} {
		peak.Store(0)
		res := ok(t, tokenProvider(px.URL, s.RootToken, "--concurrency", fmt.Sprint(c)), batch...)
		expectValues(t, res, want)
		if p := peak.Load(); p > int32(c) {
			t.Errorf("--concurrency %d: %d requests in flight", c, p)
		}
	}
}

// A path the resolver's deadline cannot wait for: TIMEOUT for its ids,
// values for the others, exit 0, before the host's timeout.
func TestSlowPath(t *testing.T) {
	s := server.Start(t)
	px := server.NewProxy(t, s.Addr)
	px.SetHook(slowHook)
	o := exec(t, tokenProvider(px.URL, s.RootToken, "--timeout", "1s"), "kv2/slow/path#x", "kv2/app/openai#apiKey")
	if o.run.ExitCode != 0 {
		t.Fatalf("exit %d: %s", o.run.ExitCode, o.run.Stderr)
	}
	expectValues(t, o.resp, map[string]string{"kv2/app/openai#apiKey": server.OpenAIKey})
	expectCode(t, o.resp, "kv2/slow/path#x", protocol.Timeout)
	if o.run.Duration > 3*time.Second {
		t.Errorf("took %v", o.run.Duration)
	}
}

// slowHook holds reads of kv2/slow/ until the client gives up.
func slowHook(w http.ResponseWriter, r *http.Request, next http.Handler) {
	if strings.HasPrefix(r.URL.Path, "/v1/kv2/data/slow/") {
		ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
		defer cancel()
		<-ctx.Done()
		return
	}
	next.ServeHTTP(w, r)
}
