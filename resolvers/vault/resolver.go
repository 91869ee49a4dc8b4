package vault

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/vault/api"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
)

// Resolve answers a batch: ids are parsed, each secret is placed in its
// mount (each mount looked up once), and each location (mount, name and
// version) is read once, however many of its fields are asked and however
// its ids are written, with at most --concurrency reads at a time.
func (r *Resolver) Resolve(ctx context.Context, b *sdk.Batch) error {
	set, err := r.settings()
	if err != nil {
		return err
	}
	client, hc, err := r.connect(ctx, b)
	if err != nil {
		return err
	}
	refs := map[string]ref{}
	bySecret := map[secret][]string{}
	for _, id := range b.IDs {
		ref, err := parseID(id, set.mount, r.bundledIDs)
		if err != nil {
			b.Fail(id, err)
			continue
		}
		refs[id] = ref
		bySecret[ref.secret] = append(bySecret[ref.secret], id)
	}
	if len(bySecret) == 0 {
		return nil
	}
	if !minted(set.auth) {
		if err := r.login(ctx, client, b, set.auth); err != nil {
			return err
		}
		return r.resolve(ctx, b, client, set, refs, bySecret)
	}
	s, err := r.useLogin(ctx, hc, client, b, set.auth)
	if err != nil {
		return err
	}
	defer s.drop()
	err = r.resolve(ctx, b, client, set, refs, bySecret)
	var refused *tokenRefusedError
	if errors.As(err, &refused) {
		// Revoked or expired behind our back: the next batch logs in.
		r.kept.Forget(s)
		b.Logf("Vault refused the login's token: the next batch logs in anew")
	}
	return err
}

// resolve reads the secrets of a batch whose client has its token.
func (r *Resolver) resolve(ctx context.Context, b *sdk.Batch, client *api.Client, set settings, refs map[string]ref, bySecret map[secret][]string) error {
	byLocation, err := r.locateAll(ctx, b, client, set, bySecret)
	if err != nil || len(byLocation) == 0 {
		return err // no location: every id already failed, Vault having answered
	}
	locations := slices.SortedFunc(maps.Keys(byLocation), func(a, b location) int {
		return cmp.Or(strings.Compare(a.mount.path, b.mount.path), strings.Compare(a.name, b.name), a.version-b.version)
	})

	var mu sync.Mutex
	var answered bool  // Vault answered some read, if only "not found"
	var tokenErr error // Vault refused the token itself
	sdk.ForEach(ctx, b, locations, func(ctx context.Context, l location) {
		data, err := read(ctx, client, l)
		mu.Lock()
		var re *api.ResponseError
		var code protocol.Code // a 404 made NOT_FOUND, a version refused for KV v1
		answered = answered || err == nil || errors.As(err, &re) || errors.As(err, &code)
		if isInvalidToken(err) && tokenErr == nil {
			tokenErr = err
		}
		mu.Unlock()
		if err != nil {
			err = idError(err, l)
			for _, id := range byLocation[l] {
				b.Fail(id, err)
			}
			return
		}
		for _, v := range data {
			if str, ok := v.(string); ok {
				b.Sensitive(str) // every field, asked or not
			}
		}
		for _, id := range byLocation[l] {
			if v, err := r.pick(data, refs[id], l); err != nil {
				b.Fail(id, err)
			} else {
				b.Set(id, v)
			}
		}
	})
	switch {
	case tokenErr != nil:
		return r.providerFailure(client, tokenErr)
	case !answered && ctx.Err() == nil:
		return fmt.Errorf("%w: Vault at %s did not answer any read", protocol.Unavailable, client.Address())
	}
	return nil
}

// locateAll places every secret in its mount and groups the ids by the
// location read for them. A secret that cannot be placed fails its ids;
// a mount lookup that fails for the whole batch ends it.
func (r *Resolver) locateAll(ctx context.Context, b *sdk.Batch, client *api.Client, set settings, bySecret map[secret][]string) (map[location][]string, error) {
	secrets := slices.SortedFunc(maps.Keys(bySecret), func(a, b secret) int {
		return cmp.Or(strings.Compare(a.path, b.path), strings.Compare(a.mount, b.mount), a.version-b.version)
	})
	ms := newMounts(client, set)
	byLocation := map[location][]string{}
	for _, s := range secrets {
		m, err := ms.find(ctx, b, s)
		var l location
		if err == nil {
			l, err = locate(s, m)
		}
		var code protocol.Code
		switch {
		case err != nil && errors.As(err, &code):
			for _, id := range bySecret[s] {
				b.Fail(id, err)
			}
		case err != nil:
			return nil, r.providerFailure(client, err)
		default:
			byLocation[l] = append(byLocation[l], bySecret[s]...)
		}
	}
	return byLocation, nil
}

// idError gives a failed read the code its ids get, keeping a code the
// read already chose.
func idError(err error, l location) error {
	var code protocol.Code
	if errors.As(err, &code) {
		return err
	}
	return fmt.Errorf("%w: reading %s: %s", classify(err), l, brief(err))
}

// providerFailure turns a request that failed for the whole batch into
// the error that ends it: the token refused, or Vault out of reach.
func (r *Resolver) providerFailure(client *api.Client, err error) error {
	if isInvalidToken(err) {
		return fmt.Errorf("%w: %w", protocol.Unauthenticated, &tokenRefusedError{reason: brief(err)})
	}
	var code protocol.Code
	if errors.As(err, &code) {
		return err
	}
	if isUntrustedCertificate(err) {
		return fmt.Errorf("%w: Vault at %s: the server's TLS certificate is not trusted (%s); pass VAULT_CACERT or --ca-cert", sdk.ErrConfig, client.Address(), brief(err))
	}
	return fmt.Errorf("%w: Vault at %s: %s", classify(err), client.Address(), brief(err))
}
