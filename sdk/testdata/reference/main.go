// Command reference is the SDK's reference resolver for tests: a fixture
// file drives every path of the SDK (values, per-id codes, slow ids, panics,
// whole-provider failures) so that tests can run the built binary through
// the host runner as the gateway would.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
)

// fixture is the file named by --fixture, relative to the binary's
// directory (the gateway's cwd).
type fixture struct {
	Values map[string]string        `json:"values"`
	Errors map[string]protocol.Code `json:"errors"`
	Delays map[string]string        `json:"delays"` // slept without honouring ctx
	Panic  string                   `json:"panic"`  // id whose resolution panics
	Fail   protocol.Code            `json:"fail"`   // whole-provider failure
	Env    []string                 `json:"env"`    // variables that must be set
}

type reference struct{ path string }

func (r *reference) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&r.path, "fixture", "fixture.json", "fixture `file`")
}

func (r *reference) Resolve(ctx context.Context, b *sdk.Batch) error {
	data, err := os.ReadFile(r.path)
	if err != nil {
		return fmt.Errorf("%w: %w", sdk.ErrConfig, err)
	}
	var f fixture
	if err := json.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("%w: fixture: %w", sdk.ErrConfig, err)
	}
	for _, name := range f.Env {
		if _, ok := os.LookupEnv(name); !ok {
			return fmt.Errorf("%w: %s is not set", sdk.ErrConfig, name)
		}
	}
	for _, v := range f.Values { // fetched: mark before anything can print it
		b.Sensitive(v)
	}
	if f.Fail != "" {
		return fmt.Errorf("%w: the fixture says so", f.Fail)
	}
	sdk.ForEach(ctx, b, b.IDs, func(ctx context.Context, id string) {
		if d, err := time.ParseDuration(f.Delays[id]); err == nil {
			time.Sleep(d)
		}
		v, ok := f.Values[id]
		switch {
		case id == f.Panic:
			panic("resolving " + id + " with " + v)
		case f.Errors[id] != "":
			b.Fail(id, fmt.Errorf("%w: the fixture says so for %s (the value would be %s)", f.Errors[id], id, v))
		case ok:
			b.Logf("resolved %s to %s", id, v)
			b.Set(id, v)
		default:
			b.Fail(id, fmt.Errorf("%w: %s is not in the fixture", protocol.NotFound, id))
		}
	})
	return nil
}

func main() {
	sdk.Main(sdk.Program{Name: "reference-resolver", Summary: "fixture-driven test resolver", Backend: &reference{}})
}
