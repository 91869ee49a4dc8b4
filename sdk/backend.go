package sdk

import (
	"context"
	"errors"
	"flag"
)

// Backend fetches secrets. It is the only code a resolver writes.
//
// Resolve answers every id in b.IDs with b.Set or b.Fail, from any number of
// goroutines, and returns nil. It returns an error only when the whole
// provider cannot work (configuration missing, login refused, backend
// unreachable): then no response is written and the process exits non-zero.
//
// Resolve is called once per batch, only with valid, de-duplicated ids,
// and never with an empty batch. In exec mode a process answers one batch;
// over go-plugin and in the agent one long-lived process answers many, and
// concurrently. Keep a batch's data (decrypted documents, values) in
// Resolve's own variables, never in the Backend. What is expensive to set
// up and safe to share (a login, an SDK client, assumed-role credentials)
// may live between batches in a warm.Value field (package sdk/warm); a
// Backend that keeps such state implements io.Closer, and a long-lived
// process calls Close once, after its last batch. When ctx expires the SDK
// answers at once with what has been set and TIMEOUT for the rest, so a
// backend need not race the deadline itself; Set and Fail are ignored from
// then on.
type Backend interface {
	Resolve(ctx context.Context, b *Batch) error
}

// FlagRegisterer is implemented by a Backend that takes command-line flags
// (the provider's args in openclaw.json). Flags are parsed before Resolve.
type FlagRegisterer interface {
	RegisterFlags(fs *flag.FlagSet)
}

// ErrConfig marks a whole-provider failure caused by configuration: a
// missing variable or flag, an unreadable key file. Wrap it:
//
//	fmt.Errorf("%w: VAULT_ADDR is not set (add it to passEnv)", sdk.ErrConfig)
var ErrConfig = errors.New("configuration error")
