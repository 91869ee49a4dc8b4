package vault

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/hashicorp/vault/api"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/warm"
)

// A session is the token of an approle, kubernetes or jwt login, kept
// warm (r.login) so that a long-lived process logs in once, not once per
// batch: renewed before it expires when Vault allows, else replaced by a
// new login, and revoked once no batch uses it any more. The token of a
// token method is never kept: it is the user's, and never revoked here.
type session struct {
	// client has the token set, and is used for renew-self and
	// revoke-self only: batches set the token on clients of their own.
	client    *api.Client
	token     string
	renewable bool

	mu      sync.Mutex
	users   int  // batches using the token now
	retired bool // replaced or forgotten: revoked when users reaches 0
}

// revokeTimeout bounds a revocation that the last batch using a retired
// token makes on its way out.
const revokeTimeout = 5 * time.Second

// useLogin gives a batch's client the kept login's token, logging in when
// none is held or the held one is near its expiry and cannot be renewed.
// The caller must drop the session when the batch is over.
func (r *Resolver) useLogin(ctx context.Context, hc *http.Client, client *api.Client, b *sdk.Batch, a authSettings) (*session, error) {
	open := func(ctx context.Context, b *sdk.Batch) (warm.Held[*session], error) {
		return r.openSession(ctx, hc, b, a)
	}
	// A session retired between Get and hold (another batch replaced it)
	// is no longer held: the next Get returns its successor.
	for range 3 {
		s, err := r.kept.Get(ctx, b, open)
		if err != nil {
			return nil, err
		}
		if s.hold() {
			client.SetToken(s.token)
			return s, nil
		}
	}
	return nil, fmt.Errorf("%w: the Vault login was replaced three times while this batch waited for it", protocol.Unavailable)
}

// openSession logs in, with a client of the session's own over hc.
func (r *Resolver) openSession(ctx context.Context, hc *http.Client, b *sdk.Batch, a authSettings) (warm.Held[*session], error) {
	client, err := r.apiClient(hc)
	if err != nil {
		return warm.Held[*session]{}, err
	}
	sent := time.Now()
	auth, err := r.logIn(ctx, client, b, a)
	if err != nil {
		return warm.Held[*session]{}, err
	}
	client.SetToken(auth.ClientToken)
	s := &session{client: client, token: auth.ClientToken, renewable: auth.Renewable}
	return warm.Held[*session]{Value: s, Expires: expiry(sent, auth.LeaseDuration), Secrets: []string{s.token}}, nil
}

// expiry is when a token with ttl seconds, issued after sent, expires:
// never for a ttl of 0.
func expiry(sent time.Time, ttl int) time.Time {
	if ttl <= 0 {
		return time.Time{}
	}
	return sent.Add(time.Duration(ttl) * time.Second)
}

// errNotRenewable fails a renewal Vault would refuse, or that would not
// extend the token's life: then warm logs in anew.
var errNotRenewable = errors.New("the token cannot be renewed")

// renew renews a token near its expiry (auth/token/renew-self). It fails,
// and a new login replaces the token, when the token is not renewable,
// when Vault refuses, or when the renewal does not move the expiry later
// (the token is at its maximum TTL).
func renew(ctx context.Context, b *sdk.Batch, old warm.Held[*session]) (warm.Held[*session], error) {
	s := old.Value
	if !s.renewable {
		return old, fmt.Errorf("%w: Vault issued it as not renewable", errNotRenewable)
	}
	sent := time.Now()
	got, err := s.client.Auth().Token().RenewSelfWithContext(ctx, 0)
	switch {
	case err != nil:
		return old, fmt.Errorf("%w: %s", errNotRenewable, brief(err))
	case got == nil || got.Auth == nil:
		return old, fmt.Errorf("%w: Vault's renewal answered nothing", errNotRenewable)
	case got.Auth.ClientToken != "" && got.Auth.ClientToken != s.token:
		b.Sensitive(got.Auth.ClientToken)
		return old, fmt.Errorf("%w: Vault's renewal answered another token", errNotRenewable)
	}
	exp := expiry(sent, got.Auth.LeaseDuration)
	if !exp.IsZero() && !exp.After(old.Expires) {
		return old, fmt.Errorf("%w: it is at its maximum TTL (renewed for %ds)", errNotRenewable, got.Auth.LeaseDuration)
	}
	b.Logf("renewed the login's token (ttl %ds)", got.Auth.LeaseDuration)
	return warm.Held[*session]{Value: s, Expires: exp, Secrets: old.Secrets}, nil
}

// hold counts a batch among the token's users; false once it is retired.
func (s *session) hold() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.retired {
		return false
	}
	s.users++
	return true
}

// drop ends a batch's use of the token, revoking it if it was retired
// meanwhile and this batch was its last user.
func (s *session) drop() {
	s.mu.Lock()
	s.users--
	last := s.retired && s.users == 0
	s.mu.Unlock()
	if last {
		ctx, cancel := context.WithTimeout(context.Background(), revokeTimeout)
		defer cancel()
		s.revoke(ctx)
	}
}

// retire is warm's Release: the token is replaced, forgotten, or the
// process is stopping. It is revoked now, or, while batches still read
// with it, by the last of them: revoking it under a batch would fail that
// batch.
func retire(ctx context.Context, s *session) {
	s.mu.Lock()
	s.retired = true
	idle := s.users == 0
	s.mu.Unlock()
	if idle {
		s.revoke(ctx)
	}
}

// revoke revokes the token (auth/token/revoke-self), best effort: a token
// Vault already refuses needs nothing, and one that could not be revoked
// lapses at the end of its TTL. Nothing is printed: there is no batch to
// print to, and the error could only say what Vault said.
func (s *session) revoke(ctx context.Context) {
	_ = s.client.Auth().Token().RevokeSelfWithContext(ctx, "")
}

// Close releases what the resolver kept warm, as a long-lived process
// stops: the login's token is revoked, the connections closed. The token
// of a token method is the user's, and never revoked.
func (r *Resolver) Close() error {
	r.kept.Close()
	r.conn.Close()
	return nil
}
