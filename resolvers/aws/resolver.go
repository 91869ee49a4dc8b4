package aws

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
)

// Resolve answers a batch: ids are grouped by secret or parameter, each is
// fetched once, current secrets 20 to a BatchGetSecretValue call and
// parameters 10 to a GetParameters call, with at most --concurrency calls
// at once.
func (r *Resolver) Resolve(ctx context.Context, b *sdk.Batch) error {
	refs := map[string]ref{}
	byItem := map[item][]string{}
	var items []item
	for _, id := range b.IDs {
		ref, err := parseID(id)
		if err != nil {
			b.Fail(id, err)
			continue
		}
		refs[id] = ref
		if _, seen := byItem[ref.item]; !seen {
			items = append(items, ref.item)
		}
		byItem[ref.item] = append(byItem[ref.item], id)
	}
	if len(items) == 0 {
		return nil
	}
	cfg, err := r.awsConfig(ctx, b)
	if err != nil {
		return err
	}
	calls := plan(secretsmanager.NewFromConfig(cfg), ssm.NewFromConfig(cfg), items)

	var mu sync.Mutex
	var answered bool // AWS answered some call, if only with an error
	var authErr error // AWS rejected the credentials themselves
	sdk.ForEach(ctx, b, calls, func(ctx context.Context, c call) {
		values, err := c.run(ctx)
		var api smithy.APIError
		mu.Lock()
		answered = answered || err == nil || errors.As(err, &api)
		if api != nil && isAuthFailure(api.ErrorCode()) && authErr == nil {
			authErr = err
		}
		mu.Unlock()
		for _, it := range c.items {
			v := value{err: nil}
			if err != nil {
				v.err = callError(err, it)
			} else {
				v = values[it]
			}
			r.answer(b, v, byItem[it], refs)
		}
	})
	switch {
	case authErr != nil:
		var api smithy.APIError
		errors.As(authErr, &api)
		return fmt.Errorf("%w: AWS rejected the credentials: %s: %s", protocol.Unauthenticated, api.ErrorCode(), api.ErrorMessage())
	case !answered && ctx.Err() == nil:
		return fmt.Errorf("%w: AWS answered none of %d calls (endpoint %s)", protocol.Unavailable, len(calls), endpointOf(cfg.BaseEndpoint))
	}
	return nil
}

// answer sets or fails every id that asked for one fetched value.
func (r *Resolver) answer(b *sdk.Batch, v value, ids []string, refs map[string]ref) {
	if v.err != nil {
		for _, id := range ids {
			b.Fail(id, v.err)
		}
		return
	}
	b.Sensitive(v.text, base64.StdEncoding.EncodeToString(v.binary)) // the whole secret, whichever keys are asked
	for _, id := range ids {
		if s, err := r.pick(v, refs[id]); err != nil {
			b.Fail(id, err)
		} else {
			b.Set(id, s)
		}
	}
}

func endpointOf(p *string) string {
	if p == nil {
		return "default"
	}
	return *p
}
