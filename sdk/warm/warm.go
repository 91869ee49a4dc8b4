// Package warm keeps what is expensive to set up — a login, an SDK
// client, assumed-role credentials — between the batches of a long-lived
// resolver process (the agent, go-plugin), and nothing else: never a
// value. A backend holds one Value per kind of state, gets it at the start
// of each batch, and releases everything in its Close:
//
//	type Resolver struct{ login warm.Value[*api.Client] }
//
//	func (r *Resolver) Resolve(ctx context.Context, b *sdk.Batch) error {
//		client, err := r.login.Get(ctx, b, r.openLogin) // opens, reuses or refreshes
//		...
//	}
//
//	func (r *Resolver) Close() error { r.login.Close(); return nil }
//
// In exec mode the process answers one batch, so Get always opens: the
// same code serves both, warm where the process lives long. The SDK calls
// a Backend's Close (when it is an io.Closer) as a long-lived process
// stops, after its last batch; an exec run exits without it.
package warm

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/execref/execref/sdk"
)

// Held is what an Opener returns: the state, until when it can be used,
// and the strings it carries that must never be printed (a token), which
// every batch that uses it marks sensitive.
type Held[T any] struct {
	Value T
	// Expires is when the state stops working (a token's or credentials'
	// expiry); zero when it does not expire.
	Expires time.Time
	// Secrets are marked sensitive (Batch.Sensitive) in every batch that
	// gets the state, not only in the one that opened it.
	Secrets []string
}

// An Opener sets the state up for batch b, within ctx. Its error is the
// batch's (return it from Resolve); the next Get tries again.
type Opener[T any] func(ctx context.Context, b *sdk.Batch) (Held[T], error)

// minRefreshMargin is the least time before expiry at which held state is
// replaced: enough for one batch (the gateway's default timeout is 5 s) to
// finish with it.
const minRefreshMargin = 10 * time.Second

// Value keeps one state between batches. Its zero value holds nothing;
// set Name, and Refresh and Release when the state has them, before the
// first Get. A Value must not be copied after first use.
type Value[T comparable] struct {
	// Name says what is kept, for the --verbose lines ("Vault login").
	Name string
	// Refresh, when set, renews state nearing its expiry (a renewable
	// token) instead of opening anew; when it fails, Get opens anew.
	Refresh func(ctx context.Context, b *sdk.Batch, old Held[T]) (Held[T], error)
	// Release, when set, frees state that is replaced, forgotten or
	// closed (revokes a token). It gets its own short context.
	Release func(ctx context.Context, v T)

	once   sync.Once
	lock   chan struct{} // one Get opens or refreshes at a time
	held   *Held[T]
	opened time.Time
}

// releaseTimeout bounds one Release.
const releaseTimeout = 5 * time.Second

// Get returns the state for batch b: the held one while it is far enough
// from its expiry (a third of its lifetime, and at least ten seconds),
// else refreshed or opened with open. Concurrent batches share one open.
// It marks the state's secrets sensitive in b and logs with b.Logf which
// of the three it did.
func (v *Value[T]) Get(ctx context.Context, b *sdk.Batch, open Opener[T]) (T, error) {
	var zero T
	if err := v.acquire(ctx); err != nil {
		return zero, err
	}
	defer v.release()

	now := time.Now()
	if h := v.held; h != nil {
		b.Sensitive(h.Secrets...)
		if !v.due(now) {
			b.Logf("%s: reused (%s)", v.Name, v.age(now))
			return h.Value, nil
		}
		if v.Refresh != nil {
			if fresh, err := v.Refresh(ctx, b, *h); err == nil {
				b.Sensitive(fresh.Secrets...)
				v.replace(&fresh, now)
				b.Logf("%s: refreshed before its expiry", v.Name)
				return fresh.Value, nil
			} else {
				b.Logf("%s: refresh failed (%v); opening anew", v.Name, err)
			}
		}
		v.replace(nil, now)
	}
	h, err := open(ctx, b)
	if err != nil {
		return zero, err
	}
	b.Sensitive(h.Secrets...)
	v.replace(&h, now)
	b.Logf("%s: opened", v.Name)
	return h.Value, nil
}

// Forget drops the held state if it is still val, for a batch that found
// it no longer works (a token the server refused): the next Get opens
// anew. A newer state, opened meanwhile by another batch, is kept.
func (v *Value[T]) Forget(val T) {
	if v.acquire(context.Background()) != nil {
		return
	}
	defer v.release()
	if v.held != nil && v.held.Value == val {
		v.replace(nil, time.Now())
	}
}

// Close releases the held state. Get after Close opens anew.
func (v *Value[T]) Close() {
	if v.acquire(context.Background()) != nil {
		return
	}
	defer v.release()
	v.replace(nil, time.Now())
}

// Held reports whether a state is held, for tests and diagnostics.
func (v *Value[T]) Held() bool {
	if v.acquire(context.Background()) != nil {
		return false
	}
	defer v.release()
	return v.held != nil
}

func (v *Value[T]) acquire(ctx context.Context) error {
	v.once.Do(func() { v.lock = make(chan struct{}, 1) })
	select {
	case v.lock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for %s: %w", v.Name, context.Cause(ctx))
	}
}

func (v *Value[T]) release() { <-v.lock }

// due reports whether the held state is too close to its expiry to give
// to a batch.
func (v *Value[T]) due(now time.Time) bool {
	exp := v.held.Expires
	if exp.IsZero() {
		return false
	}
	margin := max(exp.Sub(v.opened)/3, minRefreshMargin)
	return !now.Before(exp.Add(-margin))
}

func (v *Value[T]) age(now time.Time) string {
	if v.held.Expires.IsZero() {
		return fmt.Sprintf("opened %s ago", now.Sub(v.opened).Round(time.Second))
	}
	return fmt.Sprintf("expires in %s", v.held.Expires.Sub(now).Round(time.Second))
}

// replace swaps the held state, releasing the old one.
func (v *Value[T]) replace(h *Held[T], now time.Time) {
	old := v.held
	v.held, v.opened = h, now
	if old != nil && v.Release != nil && (h == nil || h.Value != old.Value) {
		ctx, cancel := context.WithTimeout(context.Background(), releaseTimeout)
		defer cancel()
		v.Release(ctx, old.Value)
	}
}
