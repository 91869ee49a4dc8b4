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

// Resolve answers a batch: ids are grouped by secret, each mount is looked
// up once, and each secret (path and version) is read once, however many of
// its fields are asked, with at most --concurrency reads at a time.
func (r *Resolver) Resolve(ctx context.Context, b *sdk.Batch) error {
	forced, err := r.forcedVersion()
	if err != nil {
		return err
	}
	client, err := r.newClient(b)
	if err != nil {
		return err
	}
	refs := map[string]ref{}
	bySecret := map[secret][]string{}
	for _, id := range b.IDs {
		ref, err := parseID(id, r.mount)
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
	if err := r.login(ctx, client, b); err != nil {
		return err
	}

	secrets := slices.SortedFunc(maps.Keys(bySecret), func(a, b secret) int {
		return cmp.Or(strings.Compare(a.path, b.path), a.version-b.version)
	})
	ms := &mounts{client: client, forced: forced}
	mountOf := map[secret]mount{}
	for _, s := range secrets {
		m, err := ms.find(ctx, b, s.path)
		if err != nil {
			return r.providerFailure(client, err)
		}
		mountOf[s] = m
	}

	var mu sync.Mutex
	var answered bool  // Vault answered some read, if only "not found"
	var tokenErr error // Vault refused the token itself
	sdk.ForEach(ctx, b, secrets, func(ctx context.Context, s secret) {
		data, err := read(ctx, client, mountOf[s], s)
		mu.Lock()
		var re *api.ResponseError
		var code protocol.Code // a 404 made NOT_FOUND, a version refused for KV v1
		answered = answered || err == nil || errors.As(err, &re) || errors.As(err, &code)
		if isInvalidToken(err) && tokenErr == nil {
			tokenErr = err
		}
		mu.Unlock()
		if err != nil {
			err = idError(err, s)
			for _, id := range bySecret[s] {
				b.Fail(id, err)
			}
			return
		}
		for _, v := range data {
			if str, ok := v.(string); ok {
				b.Sensitive(str) // every field, asked or not
			}
		}
		for _, id := range bySecret[s] {
			if v, err := r.pick(data, refs[id]); err != nil {
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

// idError gives a failed read the code its ids get, keeping a code the
// read already chose.
func idError(err error, s secret) error {
	var code protocol.Code
	if errors.As(err, &code) {
		return err
	}
	return fmt.Errorf("%w: reading %s: %s", classify(err), s.describe(), brief(err))
}

// providerFailure turns a request that failed for the whole batch into
// the error that ends it: the token refused, or Vault out of reach.
func (r *Resolver) providerFailure(client *api.Client, err error) error {
	if isInvalidToken(err) {
		return fmt.Errorf("%w: Vault refused the token: %s", protocol.Unauthenticated, brief(err))
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

func (r *Resolver) forcedVersion() (int, error) {
	switch r.kvVersion {
	case "", "auto":
		return 0, nil
	case "1":
		return 1, nil
	case "2":
		return 2, nil
	}
	return 0, fmt.Errorf("%w: --kv-version %q: want auto, 1 or 2", sdk.ErrConfig, r.kvVersion)
}
