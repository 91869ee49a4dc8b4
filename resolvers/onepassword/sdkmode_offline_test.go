package onepassword

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	onepassword "github.com/1password/onepassword-sdk-go"
	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
)

// These tests run the real 1Password SDK (its WASM core included) on the
// paths that need no 1Password account: malformed tokens, and a
// well-formed token whose sign-in a loopback stand-in for 1Password
// refuses, throttles or fails. No test reaches the internet: the core
// makes its requests through net/http's DefaultTransport (the Extism host
// function uses http.DefaultClient), which sdkOffline replaces for the test
// with one that dials only the stand-in, or nothing, whatever host the
// core asked for, and records what it asked. So these tests are not
// parallel. Signing in with a token 1Password accepts, and ResolveAll
// itself, need an account: the fake SecretsAPI tests cover the mode's
// side of them.

// fakeServiceAccountToken is a well-formed service account token for no
// account: every field the core checks is present and of the right shape
// (measured: the v0.4.1 core parses it and starts the sign-in with
// POST https://my.1password.com/api/v3/auth/start).
func fakeServiceAccountToken(t testing.TB) string {
	t.Helper()
	creds := map[string]any{
		"signInAddress": "my.1password.com",
		"email":         "abcdefghijklm@1passwordserviceaccounts.com",
		"secretKey":     "A3-ABCDEF-GHJKLM-NPQRS-TVWXY-Z2345-6789A",
		"srpX":          strings.Repeat("0123456789abcdef", 4),
		"muk": map[string]any{"alg": "A256GCM", "ext": true, "k": strings.Repeat("A", 43),
			"key_ops": []string{"encrypt", "decrypt"}, "kty": "oct", "kid": "mp"},
		"userAuth":       map[string]any{"method": "SRPg-4096", "alg": "PBES2g-HS256", "iterations": 650000, "salt": "c2FsdHNhbHRzYWx0c2FsdA"},
		"deviceUuid":     "abcdefghijklmnopqrstuvwxyz",
		"throttleSecret": map[string]any{"seed": strings.Repeat("0123456789abcdef", 4), "uuid": "abcdefghijklmnopqrstuvwxyz"},
	}
	raw, err := json.Marshal(creds)
	if err != nil {
		t.Fatal(err)
	}
	return "ops_" + base64.RawURLEncoding.EncodeToString(raw)
}

// sdkDials records the connections the SDK asked for.
type sdkDials struct {
	mu    sync.Mutex
	addrs []string
}

func (d *sdkDials) add(addr string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.addrs = append(d.addrs, addr)
}

func (d *sdkDials) list() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.addrs...)
}

// sdkOffline replaces net/http's default transport for the test. With srv
// nil every connection is refused; otherwise every connection goes to srv
// on loopback, TLS without verification (the stand-in has no
// 1Password certificate). Either way no packet leaves the machine, and
// the addresses asked for are recorded.
func sdkOffline(t *testing.T, srv *httptest.Server) *sdkDials {
	t.Helper()
	d := &sdkDials{}
	saved := http.DefaultTransport
	t.Cleanup(func() { http.DefaultTransport = saved })
	http.DefaultTransport = &http.Transport{
		Proxy: nil, // not HTTPS_PROXY from the environment either
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			d.add(addr)
			if srv == nil {
				return nil, errors.New("connection refused by the test: no network")
			}
			return (&net.Dialer{}).DialContext(ctx, "tcp", srv.Listener.Addr().String())
		},
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
	}
	return d
}

// sdkStandIn is a loopback stand-in for 1Password's sign-in: it answers
// every request with status and body, and records the requests.
type sdkStandIn struct {
	*httptest.Server
	mu       sync.Mutex
	requests []string
}

func newSDKStandIn(t *testing.T, status int, body string) *sdkStandIn {
	t.Helper()
	s := &sdkStandIn{}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.Method+" "+r.Host+r.URL.Path)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *sdkStandIn) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// sdkSignIn runs signInSDK with the real SDK and returns its error, which
// must be a whole-provider error of code and name none of the token.
func sdkSignIn(t *testing.T, token string, code protocol.Code, phrases ...string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := signInSDK(ctx, token)
	if err == nil {
		t.Fatalf("signed in (%T) with a token no 1Password account has", c)
	}
	if got := protocol.CodeOf(err); got != code {
		t.Errorf("code %s (%v), want %s", got, err, code)
	}
	for _, p := range phrases {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q lacks %q", err, p)
		}
	}
	if len(token) > 8 && strings.Contains(err.Error(), token[4:]) {
		t.Errorf("error quotes the token: %v", err)
	}
	return err
}

// A token that is not a service account token fails with the SDK's own
// reason, before any connection: nothing was dialled.
func TestSDKMalformedTokenOffline(t *testing.T) {
	d := sdkOffline(t, nil)
	wellFormed := fakeServiceAccountToken(t)
	for name, token := range map[string]string{
		"empty":           "",
		"no prefix":       "not-a-token",
		"prefix only":     "ops_",
		"not base64":      "ops_!!!",
		"empty object":    "ops_" + base64.RawURLEncoding.EncodeToString([]byte("{}")),
		"padded base64":   "ops_" + base64.URLEncoding.EncodeToString([]byte(`{"signInAddress":"my.1password.com"}`)),
		"truncated paste": wellFormed[:len(wellFormed)/2],
	} {
		t.Run(name, func(t *testing.T) {
			sdkSignIn(t, token, protocol.Unauthenticated, "the service account token is malformed", "ops_")
		})
	}
	if got := d.list(); len(got) > 0 {
		t.Errorf("malformed tokens made the SDK dial %q", got)
	}
}

// A well-formed token that 1Password refuses: the stand-in answers the
// sign-in 401 as 1Password does for credentials it does not accept. The
// SDK really tried to sign in at the token's sign-in address, and reached
// only the stand-in.
func TestSDKTokenRefusedOffline(t *testing.T) {
	srv := newSDKStandIn(t, http.StatusUnauthorized, `{"errorCode":102,"errorMessage":"Authentication required"}`)
	d := sdkOffline(t, srv.Server)
	err := sdkSignIn(t, fakeServiceAccountToken(t), protocol.Unauthenticated, "1Password refused the service account token", "you are not authenticated")
	if strings.Contains(err.Error(), "error initializing client") {
		t.Errorf("error keeps the SDK's wrapping: %v", err)
	}
	if got := d.list(); len(got) == 0 || got[0] != "my.1password.com:443" {
		t.Errorf("dialled %q, want my.1password.com:443 (routed to the stand-in)", got)
	}
	if got := srv.seen(); len(got) != 1 || got[0] != "POST my.1password.com/api/v3/auth/start" {
		t.Errorf("the stand-in saw %q, want the one sign-in request", got)
	}
}

// Each way a sign-in fails maps to the class the operator must act on.
func TestSDKSignInFailuresOffline(t *testing.T) {
	for _, c := range []struct {
		name    string
		status  int
		body    string
		code    protocol.Code
		phrases []string
	}{
		{"token deleted", http.StatusOK, `{}`, protocol.Unauthenticated, []string{"bad service account token, please rotate it"}},
		{"account not found", http.StatusNotFound, `{}`, protocol.Unauthenticated, []string{"resource not found"}},
		{"forbidden", http.StatusForbidden, `{}`, protocol.PermissionDenied, []string{"right permissions"}},
		{"server error", http.StatusInternalServerError, `{}`, protocol.Unavailable, []string{"internal server error"}},
		{"bad gateway", http.StatusBadGateway, ``, protocol.Unavailable, []string{"502 Bad Gateway"}},
		{"throttled", http.StatusTooManyRequests, `{}`, protocol.RateLimited, []string{"still rate-limiting after 5 tries", "rate limit exceeded"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := newSDKStandIn(t, c.status, c.body)
			sdkOffline(t, srv.Server)
			sdkSignIn(t, fakeServiceAccountToken(t), c.code, c.phrases...)
			want := 1
			if c.code == protocol.RateLimited {
				want = 5 // retried within the deadline
			}
			if got := srv.seen(); len(got) != want {
				t.Errorf("%d sign-in requests, want %d: %q", len(got), want, got)
			}
		})
	}
}

// 1Password unreachable: the connection is refused (no network at all).
func TestSDKUnreachableOffline(t *testing.T) {
	d := sdkOffline(t, nil)
	sdkSignIn(t, fakeServiceAccountToken(t), protocol.Unavailable, "1Password could not be reached", "HTTPS_PROXY")
	if len(d.list()) == 0 {
		t.Error("the SDK dialled nothing: the test did not exercise the network path")
	}
}

// The version the resolver tells 1Password is one the core accepts, even
// from a git-describe build: a refused version would fail every sign-in
// with "invalid user input", before the token is even sent.
func TestSDKIntegrationVersionAcceptedOffline(t *testing.T) {
	saved := sdk.Version
	t.Cleanup(func() { sdk.Version = saved })
	sdk.Version = "v0.4.1-12-gabcdef0-dirty+meta(devel)"
	srv := newSDKStandIn(t, http.StatusUnauthorized, `{}`)
	sdkOffline(t, srv.Server)
	sdkSignIn(t, fakeServiceAccountToken(t), protocol.Unauthenticated, "you are not authenticated")
}

// The SDK's own parser, which the core gives the mode, runs offline in
// its core: the references it refuses are INVALID_ID with its reason, the
// others are sent.
func TestSDKReferenceSyntaxOffline(t *testing.T) {
	sdkOffline(t, nil)
	refs := map[string]reference{
		"otp":      {vault: "v", item: "i", field: "one-time password", query: "attribute=otp"},
		"openssh":  {vault: "v", item: "i", field: "private key", query: "ssh-format=openssh"},
		"type":     {vault: "v", item: "i", field: "f", query: "attribute=type"},
		"twoquery": {vault: "v", item: "i", field: "f", query: "attribute=otp&x=y"},
		"plain":    {vault: "My Vault", item: "My Item", section: "prod", field: "api key"},
	}
	fake := &fakeSecrets{answer: sdkVault(nil)}
	s := serveSDK(t, &sdkMode{client: signedIn(fake), validate: onepassword.Secrets.ValidateSecretReference, retry: sdkFastRetry}, refs)
	s.failed(t, "type", protocol.InvalidID, "the 1Password SDK refuses it", "invalid query parameter value")
	s.failed(t, "twoquery", protocol.InvalidID, "invalid format")
	want := []string{"op://My Vault/My Item/prod/api key", "op://v/i/one-time password?attribute=otp", "op://v/i/private key?ssh-format=openssh"}
	if len(fake.calls) != 1 || !slices.Equal(fake.calls[0], want) {
		t.Errorf("sent %q, want %q", fake.calls, want)
	}
}

// A call abandoned at its deadline ends inside the core: the SDK's HTTP
// function panics with the request's error and the WASM runtime unwinds
// the core's stack. The core must serve the next call all the same, since
// an agent keeps one core for its whole life (it drops only the client;
// see sdkMode.drop). The stand-in holds the sign-in request until the
// deadline has passed.
func TestSDKCoreSurvivesAbandonedCallOffline(t *testing.T) {
	token := fakeServiceAccountToken(t)
	held := make(chan struct{})
	var holding atomic.Int32
	hold := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		holding.Add(1)
		select {
		case <-r.Context().Done():
		case <-held:
		}
	}))
	t.Cleanup(hold.Close)
	t.Cleanup(func() { close(held) })
	sdkOffline(t, hold)
	// The core first, so that the deadline falls within the sign-in.
	if _, err := loadSDKCore(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, err := onepassword.NewClient(ctx, onepassword.WithServiceAccountToken(token), onepassword.WithIntegrationInfo(integrationName, integrationVersion()))
	if err == nil || !strings.Contains(err.Error(), "context deadline exceeded") || !strings.Contains(err.Error(), "recovered by wazero") {
		t.Fatalf("a sign-in held past its deadline: %v, want the request's deadline error, recovered from the core", err)
	}
	if n := holding.Load(); n != 1 {
		t.Errorf("the stand-in held %d sign-in requests, want the one", n)
	}
	if code := protocol.CodeOf(signInError(ctx, err, token)); code != protocol.Timeout {
		t.Errorf("classified %s, want %s", code, protocol.Timeout)
	}

	srv := newSDKStandIn(t, http.StatusUnauthorized, `{}`)
	sdkOffline(t, srv.Server)
	sdkSignIn(t, token, protocol.Unauthenticated, "you are not authenticated")
	if got := srv.seen(); len(got) != 1 {
		t.Errorf("the stand-in saw %q, want the one sign-in request", got)
	}
}
