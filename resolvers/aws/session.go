package aws

import (
	"context"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/warm"
)

// session is what a batch needs before its first call to AWS: the loaded
// configuration (region, endpoint, retryer, the credentials cache with
// the assume-role provider in it, the HTTP client and its open
// connections) and the two service clients made from it. All of it is
// safe for concurrent use, so concurrent batches share one. It holds no
// value, only how to ask for them.
type session struct {
	cfg awssdk.Config
	sm  *secretsmanager.Client
	ssm *ssm.Client
}

// openSession loads the configuration and makes sure it has credentials
// (awsConfig), which costs an AssumeRole call when a role is configured.
//
// Held.Expires stays zero: what expires is the credentials, and the
// credentials cache in the configuration replaces them by itself,
// credentialsRefreshWindow before they expire, at the first call that
// needs them (every batch starts with one, in sessionFor). Giving warm
// their expiry would reload the whole configuration on their schedule
// instead, with new clients and without the connections already open,
// for nothing. A session whose credentials AWS refuses is forgotten
// (Resolve), which is the one case the cache cannot see coming.
//
// Held.Secrets stays empty: the credentials change under the session, so
// sessionFor marks the current ones sensitive in every batch.
func (r *Resolver) openSession(ctx context.Context, b *sdk.Batch) (warm.Held[*session], error) {
	cfg, err := r.awsConfig(ctx, b, credentialsRefreshWindow)
	if err != nil {
		return warm.Held[*session]{}, err
	}
	return warm.Held[*session]{Value: &session{cfg: cfg, sm: secretsmanager.NewFromConfig(cfg), ssm: ssm.NewFromConfig(cfg)}}, nil
}

// sessionFor returns the session for batch b, and whether b opened it,
// with its credentials retrieved first: renewed now when they are within
// credentialsRefreshWindow of their expiry, so that no batch starts with
// credentials about to expire, and marked sensitive in b. Credentials the
// session can no longer get make it forgotten: the next batch loads the
// configuration anew (a profile's files may have changed).
func (r *Resolver) sessionFor(ctx context.Context, b *sdk.Batch) (*session, bool, error) {
	opened := false // set by the opener, which Get runs in this goroutine
	s, err := r.session.Get(ctx, b, func(ctx context.Context, b *sdk.Batch) (warm.Held[*session], error) {
		opened = true
		return r.openSession(ctx, b)
	})
	if err != nil {
		return nil, false, err
	}
	creds, err := s.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		r.session.Forget(s)
		return nil, false, credentialsError(err)
	}
	b.Sensitive(creds.SecretAccessKey, creds.SessionToken)
	if creds.CanExpire {
		// The cache moved Expires forward by the window: it is when
		// these credentials will be replaced.
		b.Logf("AWS credentials: access key %s, replaced in %s (%s before they expire)",
			shortKeyID(creds.AccessKeyID), time.Until(creds.Expires).Round(time.Second), credentialsRefreshWindow)
	}
	return s, opened, nil
}

// Close forgets the session, as a long-lived process stops. Nothing needs
// revoking: assumed-role credentials cannot be revoked one session at a
// time, and expire by themselves.
func (r *Resolver) Close() error {
	r.session.Close()
	return nil
}
