package onepassword

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// The built resolver in sdk mode, run through the host runner as the
// gateway runs it, with the real SDK: the exit status and the reason on
// stderr that an operator gets for a malformed token, an unreachable
// 1Password and a refused token. The resolver's environment sends every
// request of the SDK through HTTPS_PROXY to sdkProxy on loopback (Go's
// net/http honours it, and the gateway passes only the provider's env),
// so nothing reaches the internet; the proxy records where the SDK wanted
// to go. Each run compiles the SDK's core again: seconds of CPU, hence a
// 30 s provider timeout, which the docs recommend for sdk mode too.

// sdkProxy is an HTTPS proxy on 127.0.0.1. Without a certificate it
// refuses every tunnel (502), as a proxy that cannot reach the internet.
// With one it stands in for the tunnel's target: it accepts, terminates
// TLS with the certificate (which the resolver trusts through
// SSL_CERT_FILE) and answers every request with status.
type sdkProxy struct {
	ln     net.Listener
	cert   *tls.Certificate
	status int

	mu       sync.Mutex
	targets  []string // CONNECT targets
	requests []string // requests made inside a tunnel
}

func startSDKProxy(t *testing.T, cert *tls.Certificate, status int) *sdkProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &sdkProxy{ln: ln, cert: cert, status: status}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() { defer wg.Done(); p.serve(c) }()
		}
	}()
	return p
}

func (p *sdkProxy) URL() string { return "http://" + p.ln.Addr().String() }

func (p *sdkProxy) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Minute))
	req, err := http.ReadRequest(bufio.NewReader(c))
	if err != nil {
		return
	}
	p.record(&p.targets, req.Method+" "+req.Host)
	if req.Method != http.MethodConnect || p.cert == nil {
		fmt.Fprint(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		return
	}
	fmt.Fprint(c, "HTTP/1.1 200 Connection established\r\n\r\n")
	tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{*p.cert}})
	br := bufio.NewReader(tc)
	for {
		inner, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		p.record(&p.requests, inner.Method+" "+inner.Host+inner.URL.Path)
		body := `{"errorCode":102,"errorMessage":"Authentication required"}`
		fmt.Fprintf(tc, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
			p.status, http.StatusText(p.status), len(body), body)
	}
}

func (p *sdkProxy) record(list *[]string, s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	*list = append(*list, s)
}

func (p *sdkProxy) seen() (targets, requests []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.targets...), append([]string(nil), p.requests...)
}

// standInCert is a certificate for host signed by a CA of the test's
// own, and a file holding that CA for SSL_CERT_FILE.
func standInCert(t *testing.T, host string) (*tls.Certificate, string) {
	t.Helper()
	key := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	caKey, leafKey := key(), key()
	now := time.Now()
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "execref test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, ca, &leafKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return &tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: leafKey}, caFile
}

// runSDKBinary runs the installed resolver in sdk mode on one id with
// token and env, through the proxy, and returns the run.
func runSDKBinary(t *testing.T, token string, proxy *sdkProxy, env map[string]string) (*host.Run, error) {
	t.Helper()
	bin := sdktest.Install(t, sdktest.Cached(t, "./cmd/openclaw-1password-resolver"), nil)
	e := map[string]string{"OP_SERVICE_ACCOUNT_TOKEN": token, "HTTPS_PROXY": proxy.URL(), "HTTP_PROXY": proxy.URL()}
	for k, v := range env {
		e[k] = v
	}
	p := host.Provider{Source: "exec", Command: bin, Args: []string{"--mode", "sdk", "--timeout", "29s"},
		TimeoutMs: 30000, NoOutputTimeoutMs: 30000, Env: e}
	runner := &host.Runner{LookupEnv: func(string) (string, bool) { return "", false }} // the gateway's env: none of ours
	var run *host.Run
	var err error
	for range 50 { // a parallel test's fork may hold a fresh copy open for writing (golang.org/issue/22315)
		_, run, err = runner.ResolveRun(context.Background(), "onepassword", p, []string{"Private/OpenAI/apiKey"})
		if !errors.Is(err, host.ErrStart) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if run == nil {
		t.Fatalf("did not run: %v", err)
	}
	if strings.Contains(string(run.Stderr), token) {
		t.Errorf("stderr quotes the token: %s", run.Stderr)
	}
	return run, err
}

// wantSDKExit requires the run to have exited with status, saying phrase on
// stderr.
func wantSDKExit(t *testing.T, run *host.Run, err error, status int, phrase string) {
	t.Helper()
	var pe *host.ProviderError
	if !errors.As(err, &pe) || !errors.Is(pe.Err, host.ErrExit) || pe.ExitCode != status {
		t.Errorf("got %v, want exit %d; stderr: %s", err, status, run.Stderr)
	}
	if !strings.Contains(string(run.Stderr), phrase) {
		t.Errorf("stderr lacks %q: %s", phrase, run.Stderr)
	}
}

func TestSDKModeBinaryMalformedToken(t *testing.T) {
	proxy := startSDKProxy(t, nil, 0)
	run, err := runSDKBinary(t, "ops_"+strings.Repeat("x", 40), proxy, nil)
	wantSDKExit(t, run, err, 77, "the service account token is malformed")
	if targets, _ := proxy.seen(); len(targets) > 0 {
		t.Errorf("a malformed token made the SDK connect: %q", targets)
	}
}

func TestSDKModeBinaryUnreachable(t *testing.T) {
	proxy := startSDKProxy(t, nil, 0)
	run, err := runSDKBinary(t, fakeServiceAccountToken(t), proxy, nil)
	wantSDKExit(t, run, err, 69, "1Password could not be reached")
	if targets, _ := proxy.seen(); len(targets) != 1 || targets[0] != "CONNECT my.1password.com:443" {
		t.Errorf("the proxy saw %q, want one tunnel to my.1password.com:443", targets)
	}
}

func TestSDKModeBinaryTokenRefused(t *testing.T) {
	cert, caFile := standInCert(t, "my.1password.com")
	proxy := startSDKProxy(t, cert, http.StatusUnauthorized)
	run, err := runSDKBinary(t, fakeServiceAccountToken(t), proxy, map[string]string{"SSL_CERT_FILE": caFile})
	wantSDKExit(t, run, err, 77, "1Password refused the service account token (authentication error: you are not authenticated)")
	targets, requests := proxy.seen()
	if len(targets) != 1 || targets[0] != "CONNECT my.1password.com:443" ||
		len(requests) != 1 || requests[0] != "POST my.1password.com/api/v3/auth/start" {
		t.Errorf("the proxy saw tunnels %q and requests %q, want the one sign-in request to my.1password.com", targets, requests)
	}
}
