// Command checkresolver is a test resolver built on the SDK with a
// self-check: it needs DEMO_TOKEN, and answers every id with it followed
// by the id. Its check reports the token's length (never the token) and
// fails UNAUTHENTICATED without it; with DEMO_DOWN set it fails
// UNAVAILABLE, as a resolver whose server is down.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/check"
)

type demo struct{}

func (demo) Resolve(ctx context.Context, b *sdk.Batch) error {
	token, ok := os.LookupEnv("DEMO_TOKEN")
	if !ok {
		return fmt.Errorf("%w: DEMO_TOKEN is not set", protocol.Unauthenticated)
	}
	b.Sensitive(token)
	if _, down := os.LookupEnv("DEMO_DOWN"); down {
		return fmt.Errorf("%w: the demo server is down", protocol.Unavailable)
	}
	for _, id := range b.IDs {
		b.Set(id, token+"-"+id)
	}
	return nil
}

func (demo) Check(ctx context.Context, b *sdk.Batch, r *check.Report) error {
	token, ok := os.LookupEnv("DEMO_TOKEN")
	if !ok {
		r.Fail("token", fmt.Errorf("%w: DEMO_TOKEN is not set", protocol.Unauthenticated))
		return nil
	}
	b.Sensitive(token)
	r.OK("token", fmt.Sprintf("DEMO_TOKEN is set (%d chars)", len(token)))
	if _, down := os.LookupEnv("DEMO_DOWN"); down {
		r.Fail("server", fmt.Errorf("%w: the demo server is down", protocol.Unavailable))
		return nil
	}
	r.OK("server", "reachable")
	return nil
}

func main() {
	sdk.Main(sdk.Program{Name: "checkresolver", Summary: "doctor's test resolver", Backend: demo{}})
}
