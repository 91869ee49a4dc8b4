package vault

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/vault/api"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/policy"
	"github.com/execref/execref/sdk/warm"
)

// maxBodyBytes bounds a response body: a KV secret is small, and a server
// (or something posing as one) must not be able to exhaust memory.
const maxBodyBytes = 8 << 20

// Retries of 429 and 5xx answers: quick and exponential, so that several
// fit inside the SDK's deadline, which cuts them short anyway.
const (
	maxRetries   = 3
	minRetryWait = 100 * time.Millisecond
	maxRetryWait = 800 * time.Millisecond
)

// connect builds a batch's API client from the flags, falling back to the
// standard VAULT_* variables of the environment the gateway passed. Each
// batch gets a client of its own, whose token no other batch sets; they
// share one HTTP client, kept warm (r.conn) with its connections, which
// connect returns too.
func (r *Resolver) connect(ctx context.Context, b *sdk.Batch) (*api.Client, *http.Client, error) {
	hc, err := r.conn.Get(ctx, b, r.openConn)
	if err != nil {
		return nil, nil, err
	}
	client, err := r.apiClient(hc)
	if err != nil {
		return nil, nil, err
	}
	if r.insecure() {
		b.Warnf("TLS verification of the Vault server is off (--skip-verify or VAULT_SKIP_VERIFY): anyone on the path can read the token and the secrets")
	}
	return client, hc, nil
}

// apiClient is an API client over hc, without a token.
func (r *Resolver) apiClient(hc *http.Client) (*api.Client, error) {
	cfg, err := r.clientConfig()
	if err != nil {
		return nil, err
	}
	cfg.HttpClient = hc
	client, err := api.NewClient(cfg) // reads VAULT_TOKEN and VAULT_NAMESPACE
	if err != nil {
		return nil, fmt.Errorf("%w: %w", sdk.ErrConfig, err)
	}
	// The token is login's to set, from the configured method only: with
	// OPENCLAW_VAULT_AUTH_METHOD=token_file, VAULT_TOKEN must not be used.
	client.ClearToken()
	// VAULT_NAMESPACE trimmed, as the bundled resolver reads it.
	if ns := first(r.namespace, protocol.TrimSpace(r.env("VAULT_NAMESPACE"))); ns != "" {
		client.SetNamespace(ns)
	} else {
		client.ClearNamespace()
	}
	return client, nil
}

// clientConfig is the API client's configuration but for TLS, which
// openConn adds to the HTTP client it keeps.
func (r *Resolver) clientConfig() (*api.Config, error) {
	cfg := api.DefaultConfig() // reads VAULT_ADDR, VAULT_CACERT, VAULT_SKIP_VERIFY, …
	if cfg.Error != nil {
		return nil, fmt.Errorf("%w: %w", sdk.ErrConfig, cfg.Error)
	}
	// VAULT_ADDR trimmed, as the bundled resolver reads it.
	cfg.Address = first(r.address, protocol.TrimSpace(r.env("VAULT_ADDR")))
	if cfg.Address == "" {
		return nil, fmt.Errorf("%w: no Vault address: pass VAULT_ADDR (passEnv or env) or --address", sdk.ErrConfig)
	}
	// Vault standbys forward requests themselves; a redirect, to any host,
	// is refused rather than followed with the token.
	cfg.DisableRedirects = true
	cfg.MaxRetries, cfg.MinRetryWait, cfg.MaxRetryWait = maxRetries, minRetryWait, maxRetryWait
	cfg.Backoff = retryablehttp.DefaultBackoff
	cfg.CheckRetry = func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		if errors.Is(err, errRedirect) {
			return false, err // retrying a refused redirect gets the same redirect
		}
		return api.DefaultRetryPolicy(ctx, resp, err)
	}
	cfg.Timeout = 0 // the SDK's deadline bounds every request through its context
	return cfg, nil
}

// openConn sets up the HTTP client every API client uses: TLS from the
// flags and VAULT_* settings (CA files read once), bodies bounded,
// redirects refused. It holds no credential, and never expires; a
// long-lived process reuses its connections.
func (r *Resolver) openConn(ctx context.Context, b *sdk.Batch) (warm.Held[*http.Client], error) {
	cfg, err := r.clientConfig()
	if err != nil {
		return warm.Held[*http.Client]{}, err
	}
	if err := r.configureTLS(cfg); err != nil {
		return warm.Held[*http.Client]{}, err
	}
	if t, ok := cfg.HttpClient.Transport.(*http.Transport); ok {
		cfg.HttpClient.Transport = limitedTransport{t}
	}
	return warm.Held[*http.Client]{Value: cfg.HttpClient}, nil
}

// closeConn closes the kept HTTP client's idle connections.
func closeConn(_ context.Context, c *http.Client) { c.CloseIdleConnections() }

// insecure reports whether TLS verification is turned off.
func (r *Resolver) insecure() bool {
	if r.tls.skipVerify {
		return true
	}
	v, _ := strconv.ParseBool(r.env("VAULT_SKIP_VERIFY"))
	return v
}

func (r *Resolver) configureTLS(cfg *api.Config) error {
	t := &api.TLSConfig{
		CACert:        first(r.tls.caCert, r.env("VAULT_CACERT")),
		CAPath:        first(r.tls.caPath, r.env("VAULT_CAPATH")),
		ClientCert:    first(r.tls.clientCert, r.env("VAULT_CLIENT_CERT")),
		ClientKey:     first(r.tls.clientKey, r.env("VAULT_CLIENT_KEY")),
		TLSServerName: first(r.tls.serverName, r.env("VAULT_TLS_SERVER_NAME")),
		Insecure:      r.insecure(),
	}
	if t.ClientKey != "" {
		if err := policy.CheckSecretFile("client key", absPath(t.ClientKey), nil, false); err != nil {
			return fmt.Errorf("%w: %w", sdk.ErrConfig, err)
		}
	}
	if err := cfg.ConfigureTLS(t); err != nil {
		return fmt.Errorf("%w: TLS: %w", sdk.ErrConfig, err)
	}
	transport, ok := cfg.HttpClient.Transport.(*http.Transport)
	if !ok || transport.TLSClientConfig == nil {
		return fmt.Errorf("%w: TLS: unexpected transport %T", sdk.ErrConfig, cfg.HttpClient.Transport)
	}
	return r.addNodeTrust(transport.TLSClientConfig)
}

// limitedTransport caps every response body at maxBodyBytes and turns a
// redirect into an error: the API client, with redirects disabled, would
// otherwise parse the redirect's body as an answer.
type limitedTransport struct{ *http.Transport }

// errRedirect marks a redirect the resolver refused to follow.
var errRedirect = errors.New("refused to follow a redirect")

func (t limitedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.Transport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		resp.Body.Close()
		return nil, fmt.Errorf("%w to %q (HTTP %d)", errRedirect, resp.Header.Get("Location"), resp.StatusCode)
	}
	resp.Body = &limitedBody{ReadCloser: resp.Body, left: maxBodyBytes}
	return resp, nil
}

// errBodyTooLarge fails a read whose response is over maxBodyBytes.
var errBodyTooLarge = errors.New("response body larger than " + strconv.Itoa(maxBodyBytes) + " bytes")

type limitedBody struct {
	io.ReadCloser
	left int64
}

func (l *limitedBody) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, errBodyTooLarge
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.ReadCloser.Read(p)
	l.left -= int64(n)
	return n, err
}
