package onepassword

import (
	"context"
	"errors"
	"fmt"
	"time"

	onepassword "github.com/1password/onepassword-sdk-go"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/warm"
)

// sdkState is what sdk mode keeps between the batches of a long-lived
// process (the agent, go-plugin): the SDK's WASM core, ready, and one
// signed-in client. Never a value. In exec mode the process answers one
// batch, so each is opened once per run, exactly as without it.
//
// Connect and cli modes keep nothing here: a Connect client is a URL and a
// token, made in microseconds, and connect-sdk-go sends its requests
// through net/http's default client, whose pool already keeps the
// connections to the server open between batches; cli mode runs op, a new
// process, per batch, and its checks of the op binary must see the file
// as it is now.
type sdkState struct {
	core   warm.Value[*sdkCore]
	client warm.Value[*sdkClient]
	// loadCore and signIn reach the real SDK; tests replace them.
	loadCore func(ctx context.Context) (*sdkCore, error)
	signIn   func(ctx context.Context, token string) (*sdkClient, error)
}

func (s *sdkState) init() {
	s.core.Name = "1Password SDK core"
	s.client.Name = "1Password SDK client"
	// No Release: the SDK has no Close. Its finalizer on *Client frees the
	// client in the core once nothing refers to it, which is also the only
	// safe moment: a batch still using a client another batch forgot keeps
	// it alive until it is done.
	s.loadCore, s.signIn = loadSDKCore, signInSDK
}

// close drops the client. The core stays until the process exits: the
// SDK keeps it in a package variable and offers no way to unload it.
func (s *sdkState) close() {
	s.client.Close()
	s.core.Close()
}

// sdkCore is the SDK's WASM core, ready: what works without a client.
type sdkCore struct {
	// validate is the SDK's own parser of secret references, which runs
	// in the core without the network.
	validate func(ctx context.Context, reference string) error
}

// sdkModeBudget is the time below which a cold start of sdk mode is
// unlikely to finish: the SDK's compilation of its core (measured at
// about 4 s of CPU) and a sign-in.
const sdkModeBudget = 10 * time.Second

// openCore readies the core for b's batch. The SDK compiles it on its
// first use in a process, seconds of CPU, and keeps it; in a long-lived
// process only the first batch pays.
func (s *sdkState) openCore(ctx context.Context, b *sdk.Batch) (warm.Held[*sdkCore], error) {
	// Say so when the deadline leaves too little, since the ids would
	// then be TIMEOUT with no other hint.
	if d, ok := ctx.Deadline(); ok && time.Until(d) < sdkModeBudget {
		b.Warnf("sdk mode has %s before its deadline to start the 1Password SDK, which takes several seconds (it compiles its core, then signs in): "+
			"pass --timeout 14s in args and set timeoutMs 15000, or 20s and 21000 with an agent (see docs/resolvers/1password.md)", time.Until(d).Round(time.Second))
	}
	start := time.Now()
	c, err := s.loadCore(ctx)
	if err != nil {
		return warm.Held[*sdkCore]{}, err
	}
	b.Logf("sdk: the SDK's core is ready after %s (it is compiled on its first use in a process)", time.Since(start).Round(time.Millisecond))
	return warm.Held[*sdkCore]{Value: c}, nil
}

// sdkProbeReference is a reference the SDK's parser accepts.
const sdkProbeReference = "op://vault/item/field"

// loadSDKCore makes the SDK load its core now, under the core Value's
// lock: the SDK initialises the package variable that holds it without
// synchronisation (internal.GetExtismCore, v0.4.1), so two batches making
// a first call at once would each compile it, racing. Parsing a reference
// is the SDK's one call that needs neither a client nor the network.
func loadSDKCore(ctx context.Context) (*sdkCore, error) {
	if err := onepassword.Secrets.ValidateSecretReference(ctx, sdkProbeReference); err != nil {
		return nil, fmt.Errorf("the 1Password SDK's core did not load: %s", sdkText(err, ""))
	}
	return &sdkCore{validate: onepassword.Secrets.ValidateSecretReference}, nil
}

// sdkClient is a client of the SDK signed in with a service account.
// The SDK's core serialises the calls of all clients (it is single
// threaded; the SDK holds a mutex for each call, network included), so
// batches sharing a client are safe, one call at a time. The core renews
// the service account's session itself; a client 1Password refuses is
// forgotten (see sdkMode.resolve).
type sdkClient struct {
	// client is kept although only secrets is called: the SDK frees the
	// client's state in its core from a finalizer on *Client, and its
	// SecretsAPI does not keep *Client reachable, so after a garbage
	// collection every call would fail with "invalid client id"
	// (1Password/onepassword-sdk-go#210).
	client  *onepassword.Client
	secrets secretsResolver
	// token is the one it signed in with: a batch that finds another
	// (its token file replaced) signs in again.
	token string
}

// signInSDK makes a client: NewClient signs in over the network (several
// round trips). A refused or malformed token, or an unreachable
// 1Password, is a whole-provider error (Unauthenticated,
// PermissionDenied, Unavailable, RateLimited).
func signInSDK(ctx context.Context, token string) (*sdkClient, error) {
	var client *onepassword.Client
	err := defaultRetry.do(ctx, func() error {
		var err error
		client, err = onepassword.NewClient(ctx,
			onepassword.WithServiceAccountToken(token),
			onepassword.WithIntegrationInfo(integrationName, integrationVersion()),
		)
		return err
	})
	if err != nil {
		return nil, signInError(ctx, err, token)
	}
	return &sdkClient{client: client, secrets: client.Secrets(), token: token}, nil
}

// clientFor returns the kept client when it signed in with token, else
// signs in and keeps the new one.
func (s *sdkState) clientFor(ctx context.Context, b *sdk.Batch, token string) (*sdkClient, error) {
	open := func(ctx context.Context, b *sdk.Batch) (warm.Held[*sdkClient], error) {
		c, err := s.signIn(ctx, token)
		if err != nil {
			return warm.Held[*sdkClient]{}, err
		}
		return warm.Held[*sdkClient]{Value: c, Secrets: []string{token}}, nil
	}
	for range 2 {
		c, err := s.client.Get(ctx, b, open)
		if err != nil || c.token == token {
			return c, err
		}
		b.Logf("sdk: the kept client signed in with another service-account token than this batch's; signing in again")
		s.client.Forget(c)
	}
	// Batches with different tokens keep replacing each other's client:
	// this one signs in for itself.
	h, err := open(ctx, b)
	return h.Value, err
}

// errClientLost marks a call that failed because the SDK's core no longer
// knows the client.
var errClientLost = errors.New("the 1Password SDK's core no longer knows the client")
