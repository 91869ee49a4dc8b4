// Command sdkresolver is the conformance suite's reference resolver built
// on the execref SDK: it answers from the same fixture as
// ../resolver (values, ambiguous, invalid and slow ids; anything else is
// NOT_FOUND), over every transport the SDK serves: exec, go-plugin and
// the agent. With --mutate NAME it injects exactly one flaw, so that the
// suite can be shown to catch it over each transport, including flaws
// that only a long-lived process shows (see README.md and mutations.go).
//
//	sdkresolver [--fixture fixture.json] [--mutate NAME] [SDK flags] [agent …]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"sync/atomic"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
)

// slowLookup is how long a slow id's lookup takes: far beyond any
// deadline, so a correct resolver answers it with TIMEOUT.
const slowLookup = 30 * time.Second

// fixture is the part of a conformance fixture the resolver needs.
type fixture struct {
	Values    map[string]string `json:"values"`
	Ambiguous []string          `json:"ambiguous"`
	Invalid   []string          `json:"invalid"` // ids outside our own id syntax
	Slow      []string          `json:"slow"`
}

// resolver is the Backend. The fixture is read again for every batch, as
// a backend reads its store: nothing of a batch is kept in the Backend.
type resolver struct {
	fixture string
	mutate  string
	started string       // unstable-config's flag, see RegisterFlags
	batches atomic.Int64 // batches this process answered (warm-flip)
}

func (r *resolver) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&r.fixture, "fixture", "fixture.json", "conformance fixture `file`, relative to the working directory")
	fs.StringVar(&r.mutate, "mutate", "", "inject one flaw (`name`); see README.md")
	if unstableConfig.requested(os.Args) {
		// The flaw: a flag whose default is computed at start-up, so that
		// no two processes have the same configuration digest.
		fs.StringVar(&r.started, "started", time.Now().Format(time.RFC3339Nano), "when the process started")
	}
}

func (r *resolver) Resolve(ctx context.Context, b *sdk.Batch) error {
	mut := mutation(r.mutate)
	if !mut.known() {
		return fmt.Errorf("%w: unknown mutation %q", sdk.ErrConfig, r.mutate)
	}
	data, err := os.ReadFile(r.fixture)
	if err != nil {
		return fmt.Errorf("%w: reading the fixture: %w", sdk.ErrConfig, err)
	}
	var fx fixture
	if err := json.Unmarshal(data, &fx); err != nil {
		return fmt.Errorf("%w: fixture %s: %w", sdk.ErrConfig, r.fixture, err)
	}
	for _, v := range fx.Values { // fetched: mark before anything can print it
		b.Sensitive(v)
	}
	batch := r.batches.Add(1)
	sdk.ForEach(ctx, b, b.IDs, func(ctx context.Context, id string) {
		answer(ctx, b, &fx, mut, id, batch)
	})
	return nil
}

// answer resolves one id; a slow one is left unanswered at the deadline,
// which the SDK answers TIMEOUT.
func answer(ctx context.Context, b *sdk.Batch, fx *fixture, mut mutation, id string, batch int64) {
	key := mut.readID(id)
	v, found := fx.Values[key]
	switch {
	case slices.Contains(fx.Slow, key):
		select {
		case <-ctx.Done():
		case <-time.After(slowLookup):
			b.Fail(id, fmt.Errorf("%w: %q is not in the fixture", protocol.NotFound, id))
		}
	case slices.Contains(fx.Invalid, key):
		b.Fail(id, fmt.Errorf("%w: %q is outside this resolver's id syntax (reserved by the fixture)", protocol.InvalidID, id))
	case slices.Contains(fx.Ambiguous, key) && mut != ambiguousAsMiss:
		b.Fail(id, fmt.Errorf("%w: %q matches more than one entry; refusing to guess", protocol.AmbiguousDuplicateKey, id))
	case found:
		b.Set(id, mut.value(id, v))
	case mut == warmFlip && batch%2 == 0:
		b.Fail(id, fmt.Errorf("%w: the cache for %q is cold", protocol.Unavailable, id))
	default:
		b.Fail(id, fmt.Errorf("%w: %q is not in the fixture", protocol.NotFound, id))
	}
}

func main() {
	sdk.Main(sdk.Program{Name: "conformance-sdk-resolver", Summary: "the conformance suite's reference resolver, on the execref SDK", Backend: &resolver{}})
}
