package aws

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"

	"github.com/aws/smithy-go"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
)

// Resolve answers a batch: ids are grouped by secret or parameter, each is
// fetched once, current secrets 20 to a BatchGetSecretValue call and
// parameters 10 to a GetParameters call, with at most --concurrency calls
// at once. The calls use the session kept from an earlier batch when the
// process lives long (the agent, go-plugin); when AWS refuses its
// credentials, the session is forgotten and the batch is fetched once
// more with a new one, so that the batch still gets its values and the
// next ones do not meet the same refusal.
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
	for attempt := 1; ; attempt++ {
		s, opened, err := r.sessionFor(ctx, b)
		if err != nil {
			return err
		}
		err = r.fetch(ctx, b, s, items, byItem, refs)
		var refused *refusedError
		if !errors.As(err, &refused) {
			return err
		}
		r.session.Forget(s)
		if opened || attempt > 1 {
			return err // loaded for this very batch, or refused twice: no better credentials to be had
		}
		b.Logf("AWS refused the credentials kept from an earlier batch (%s): loading the configuration anew", refused.code)
	}
}

// fetch runs the calls for items with session s and answers their ids. It
// returns a *refusedError when AWS refused the credentials, and an
// Unavailable error when AWS answered none of the calls.
func (r *Resolver) fetch(ctx context.Context, b *sdk.Batch, s *session, items []item, byItem map[item][]string, refs map[string]ref) error {
	calls := plan(s.sm, s.ssm, items)
	var mu sync.Mutex
	var answered bool         // AWS answered some call, if only with an error
	var refused *refusedError // AWS rejected the credentials themselves
	sdk.ForEach(ctx, b, calls, func(ctx context.Context, c call) {
		values, err := c.run(ctx)
		var api smithy.APIError
		mu.Lock()
		answered = answered || err == nil || errors.As(err, &api)
		if api != nil && isAuthFailure(api.ErrorCode()) && refused == nil {
			refused = &refusedError{code: api.ErrorCode(), message: api.ErrorMessage()}
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
	case refused != nil:
		return refused
	case !answered && ctx.Err() == nil:
		return fmt.Errorf("%w: AWS answered none of %d calls (endpoint %s)", protocol.Unavailable, len(calls), endpointOf(s.cfg.BaseEndpoint))
	}
	return nil
}

// refusedError is AWS rejecting the credentials a batch signed with
// (expired, unknown or badly signed): the whole provider is
// unauthenticated, and a kept session is worth forgetting.
type refusedError struct{ code, message string }

func (e *refusedError) Error() string {
	return fmt.Sprintf("%v: AWS rejected the credentials: %s: %s", protocol.Unauthenticated, e.code, e.message)
}

func (e *refusedError) Unwrap() error { return protocol.Unauthenticated }

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
