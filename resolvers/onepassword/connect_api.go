package onepassword

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/1Password/connect-sdk-go/connect"
	"github.com/1Password/connect-sdk-go/onepassword"

	"github.com/execref/execref/protocol"
)

// connectAPI is the part of the Connect API a batch uses, each call
// bounded by the batch's deadline and retried while Connect throttles or
// fails in passing. Errors wrap a protocol.Code (see connectError).
type connectAPI struct {
	client connect.Client
	host   string // OP_CONNECT_HOST without its trailing slash, for messages
}

// vaults lists the vaults the token can read (GET /v1/vaults).
func (a *connectAPI) vaults(ctx context.Context) ([]onepassword.Vault, error) {
	return connectCall(ctx, a, "listing the vaults", a.client.GetVaults)
}

// items lists the item summaries of a vault, without fields (GET
// /v1/vaults/{id}/items).
func (a *connectAPI) items(ctx context.Context, what, vaultID string) ([]onepassword.Item, error) {
	return connectCall(ctx, a, what, func() ([]onepassword.Item, error) { return a.client.GetItems(vaultID) })
}

// item fetches a whole item: sections, fields, files (GET
// /v1/vaults/{id}/items/{id}).
func (a *connectAPI) item(ctx context.Context, what, vaultID, itemID string) (*onepassword.Item, error) {
	return connectCall(ctx, a, what, func() (*onepassword.Item, error) { return a.client.GetItemByUUID(itemID, vaultID) })
}

// fileContent downloads an attached file. Its content_path comes from
// Connect; it must be a path of this server's API, since the SDK appends
// it to OP_CONNECT_HOST and sends the token along: "@host/x" would send
// the token to another host.
func (a *connectAPI) fileContent(ctx context.Context, what string, f *onepassword.File) ([]byte, error) {
	path := f.ContentPath
	if !strings.HasPrefix(path, "/") {
		path = "/" + path // the specification's own example has no leading slash
	}
	if !strings.HasPrefix(path, "/v1/vaults/") || strings.ContainsAny(path, "@?#\\") || strings.Contains(path, "..") {
		return nil, fmt.Errorf("%w: %s: Connect gave the file an unexpected content path %q", protocol.Internal, what, f.ContentPath)
	}
	file := *f
	file.ContentPath = path
	return connectCall(ctx, a, what, func() ([]byte, error) { return a.client.GetFileContent(&file) })
}

// Retry policy. Connect's 429 carries no Retry-After that the SDK passes
// on, so waits double from connectBackoff up to connectMaxBackoff, with
// jitter so that a batch's workers do not come back all at once. A retry
// is only started when it and connectReserve still fit before the
// deadline: the reserve is left to report RATE_LIMITED or UNAVAILABLE
// rather than TIMEOUT. Without a deadline, connectMaxAttempts bounds the
// attempts; a server that cannot be reached at all gets
// connectUnreachableAttempts, so that "down" is reported quickly.
const (
	connectBackoff             = 100 * time.Millisecond
	connectMaxBackoff          = time.Second
	connectReserve             = 250 * time.Millisecond
	connectMaxAttempts         = 6
	connectUnreachableAttempts = 3
)

// connectCall runs one SDK call with retries and returns its result or
// its classified error.
func connectCall[T any](ctx context.Context, a *connectAPI, what string, f func() (T, error)) (T, error) {
	var zero T
	for attempt := 1; ; attempt++ {
		v, err := await(ctx, f)
		if err == nil {
			return v, nil
		}
		ce := classifyConnect(a.host, what, err)
		if ce.retry == noRetry || ctx.Err() != nil {
			return zero, ce.err
		}
		wait := backoff(attempt)
		limit := connectMaxAttempts
		if ce.retry == retryFew {
			limit = connectUnreachableAttempts
		}
		_, hasDeadline := ctx.Deadline()
		if (hasDeadline && !fits(ctx, wait)) || (!hasDeadline && attempt >= limit) || (ce.retry == retryFew && attempt >= limit) {
			return zero, ce.gaveUp(attempt)
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return zero, ce.gaveUp(attempt)
		}
	}
}

// backoff is the wait before the attempt after this one.
func backoff(attempt int) time.Duration {
	d := connectMaxBackoff
	if attempt < 5 {
		d = min(connectBackoff<<(attempt-1), connectMaxBackoff)
	}
	return d - time.Duration(rand.Int64N(int64(d)/5)) // up to 20% less
}

// fits reports whether a wait of d, and the reserve after it, end before
// ctx's deadline.
func fits(ctx context.Context, d time.Duration) bool {
	deadline, _ := ctx.Deadline()
	return time.Until(deadline) > d+connectReserve
}

// await runs f, a blocking SDK call, and returns its result, or ctx's
// error as soon as ctx ends. connect-sdk-go takes no context: its requests
// go through http.DefaultClient without a deadline, so at the deadline
// the call is left behind (its answer dropped) rather than waited for;
// the process ends right after anyway. A panic in the SDK becomes an
// INTERNAL error, never a crash that could print what it held.
func await[T any](ctx context.Context, f func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if p := recover(); p != nil {
				r.err = fmt.Errorf("%w: connect-sdk-go panicked (a %T)", protocol.Internal, p)
			}
			ch <- r
		}()
		r.v, r.err = f()
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
