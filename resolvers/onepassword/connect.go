package onepassword

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/1Password/connect-sdk-go/connect"
	"github.com/opentracing/opentracing-go"

	"github.com/execref/execref/sdk"
)

// connectMode answers a batch from a self-hosted 1Password Connect server
// through connect-sdk-go: one list of the token's vaults, one list of the
// items of each vault the batch names, then each item the batch names
// fetched once (and each attached file it asks for), however many of its
// fields are asked and however the ids name it. See connect_batch.go.
type connectMode struct {
	api         *connectAPI
	token       string
	concurrency int
}

// newConnectMode checks OP_CONNECT_HOST and OP_CONNECT_TOKEN and makes the
// client; nothing is sent before the first batch. At most concurrency
// requests run at once (and at most --concurrency: sdk.ForEach applies
// it too).
func newConnectMode(host, token string, concurrency int) (mode, error) {
	base, err := connectBaseURL(host)
	if err != nil {
		return nil, err
	}
	token, err = connectToken(token)
	if err != nil {
		return nil, err
	}
	disableTracing()
	client := connect.NewClientWithUserAgent(base, token, "openclaw-1password-resolver (connect-sdk-go/"+connect.SDKVersion+")")
	return &connectMode{api: &connectAPI{client: client, host: base}, token: token, concurrency: max(concurrency, 1)}, nil
}

func (m *connectMode) resolve(ctx context.Context, b *sdk.Batch, refs map[string]reference) error {
	b.Sensitive(m.token)
	return newConnectRun(m, b).resolve(ctx, refs)
}

// connectBaseURL checks OP_CONNECT_HOST: an http or https URL of the
// Connect server, maybe with a path prefix (a reverse proxy's), which
// connect-sdk-go puts in front of "/v1/...". A trailing slash is dropped,
// since the SDK would otherwise ask for "//v1/vaults".
func connectBaseURL(host string) (string, error) {
	bad := func(why string) error {
		return fmt.Errorf("%w: OP_CONNECT_HOST=%q %s; set it to the Connect server's URL, e.g. http://localhost:8080", sdk.ErrConfig, host, why)
	}
	if host == "" {
		return "", fmt.Errorf("%w: OP_CONNECT_HOST is empty; set it to the Connect server's URL, e.g. http://localhost:8080", sdk.ErrConfig)
	}
	if strings.TrimSpace(host) != host {
		return "", bad("has leading or trailing whitespace")
	}
	u, err := url.Parse(host)
	switch {
	case err != nil:
		return "", bad("is not a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return "", bad("does not start with http:// or https://")
	case u.Host == "":
		return "", bad("names no host")
	case u.User != nil:
		return "", bad("holds a user name or password, which Connect does not use (the token goes in OP_CONNECT_TOKEN)")
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return "", bad("has a query or fragment")
	}
	return strings.TrimRight(host, "/"), nil
}

// connectToken checks OP_CONNECT_TOKEN without ever printing it. Whitespace
// around it (a newline pasted along) is dropped; inside it, or control
// characters, mean something else was pasted, which Connect would only
// answer with a 401.
func connectToken(token string) (string, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return "", fmt.Errorf("%w: OP_CONNECT_TOKEN is empty; set it to a Connect server access token", sdk.ErrConfig)
	}
	for _, r := range token {
		if r <= ' ' || r == 0x7f {
			return "", fmt.Errorf("%w: OP_CONNECT_TOKEN (%d characters) holds whitespace or control characters; it should be a Connect server access token alone", sdk.ErrConfig, len(token))
		}
	}
	return token, nil
}

var tracingOff sync.Once

// disableTracing registers a no-op OpenTracing tracer before the first
// client is made. connect.NewClient otherwise installs a global Jaeger
// tracer whose remote sampler polls localhost:5778 and whose reporter
// sends spans to localhost:6831 over UDP: a resolver talks to nothing but
// its backend, and it must not add tracing headers to Connect requests.
func disableTracing() {
	tracingOff.Do(func() {
		if !opentracing.IsGlobalTracerRegistered() {
			opentracing.SetGlobalTracer(opentracing.NoopTracer{})
		}
	})
}
