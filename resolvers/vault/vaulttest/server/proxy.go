package server

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
)

// Proxy is a reverse proxy on loopback in front of a Vault, for what a
// real Vault will not do on demand: refuse one endpoint, throttle, fail,
// redirect, answer a huge body, or die in the middle of a batch. It
// records every request it receives.
type Proxy struct {
	// URL is the proxy's address, to give the resolver as VAULT_ADDR.
	URL string

	srv  *httptest.Server
	next http.Handler
	dead atomic.Bool

	mu   sync.Mutex
	hook Hook
	reqs []Request
}

// Hook handles one request: it may answer it itself, or pass it to next
// (Vault). It runs concurrently for concurrent requests.
type Hook func(w http.ResponseWriter, r *http.Request, next http.Handler)

// Request is a request the proxy received.
type Request struct {
	Method, Path, RawQuery string
	// Namespace is the X-Vault-Namespace header.
	Namespace string
	// Token says whether X-Vault-Token was set.
	Token bool
}

// NewProxy starts a proxy to target (a Vault address); it stops when tb
// ends.
func NewProxy(tb testing.TB, target string) *Proxy {
	tb.Helper()
	u, err := url.Parse(target)
	if err != nil {
		tb.Fatal(err)
	}
	p := &Proxy{next: httputil.NewSingleHostReverseProxy(u)}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	p.URL = p.srv.URL
	tb.Cleanup(p.srv.Close)
	return p
}

// SetHook installs h (nil: pass everything to Vault).
func (p *Proxy) SetHook(h Hook) {
	p.mu.Lock()
	p.hook = h
	p.mu.Unlock()
}

// Requests returns the requests received so far.
func (p *Proxy) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Request(nil), p.reqs...)
}

// Reset forgets the requests received so far.
func (p *Proxy) Reset() {
	p.mu.Lock()
	p.reqs = nil
	p.mu.Unlock()
}

// Kill makes Vault vanish as a crashed server does: the listener closes
// (new connections are refused), open connections are closed, and a
// request arriving on a connection still open is dropped without an
// answer.
func (p *Proxy) Kill() {
	p.dead.Store(true)
	p.srv.Listener.Close()
	p.srv.CloseClientConnections()
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	if p.dead.Load() {
		drop(w)
		return
	}
	p.mu.Lock()
	p.reqs = append(p.reqs, Request{
		Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		Namespace: r.Header.Get("X-Vault-Namespace"), Token: r.Header.Get("X-Vault-Token") != "",
	})
	hook := p.hook
	p.mu.Unlock()
	if hook == nil {
		p.next.ServeHTTP(w, r)
		return
	}
	hook(w, r, p.next)
}

// drop closes the request's connection without an answer.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}
