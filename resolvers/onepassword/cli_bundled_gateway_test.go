package onepassword_test

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/execref/execref/conformance/gateway"
	"github.com/execref/execref/sdk/host"
)

// The drop-in check: the gateway's bundled onepassword resolver
// (onepassword-secret-ref-resolver.js, run by the gateway's Node as its
// plugin preset runs it) and this one in cli mode, against the same fake
// op, with the same token file in the same state directory and op found
// the same way (CLAW_1PASSWORD_OP), answer the same ids with the same
// values, and fail the same ids. The bundled resolver sends no codes, so
// failures are compared as failures.
func TestCLIDropInForBundledGateway(t *testing.T) {
	g := gateway.Require(t)
	w := newOpWorld(t, seedAccount())
	home := t.TempDir()
	state := filepath.Join(home, "state")
	tokenFile := filepath.Join(state, "credentials", "onepassword", "service-account-token")
	if err := os.MkdirAll(filepath.Dir(tokenFile), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tokenFile, []byte(cliToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOME": home, "OPENCLAW_STATE_DIR": state, "CLAW_1PASSWORD_OP": w.op}
	script := filepath.Join(g.Prefix, "node_modules", "openclaw", "dist", "extensions", "onepassword", "onepassword-secret-ref-resolver.js")
	bundled := host.Provider{Command: g.Node, Args: []string{script}, Env: env,
		TimeoutMs: 90000, NoOutputTimeoutMs: 90000, MaxOutputBytes: 16 << 20} // the plugin preset's limits
	ours := host.Provider{Command: w.bin, Args: []string{"--mode", "cli"}, Env: env}

	values := seedValues()
	ids := slices.Sorted(maps.Keys(values))
	ids = append(ids, "Nope/OpenAI/api-key", "Private/Nope/api-key", "Private/OpenAI/nope/token", "Private/OpenAI/nope",
		"Private/Twin/password", "Shared/X/y", "Private/Dup/password", "Private/Locked/password",
		"Private/OpenAI", "opb64:QR", opb64("a/b"), "op://a/b")
	if len(ids) > 32 {
		t.Fatalf("%d ids: the bundled resolver refuses more than 32", len(ids))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	want, err := emptyGateway.Resolve(ctx, cliProvider, bundled, ids)
	if err != nil {
		t.Fatalf("the bundled resolver: %v", err)
	}
	got, err := emptyGateway.Resolve(ctx, cliProvider, ours, ids)
	if err != nil {
		t.Fatalf("ours: %v", err)
	}
	resolved := 0
	for _, id := range ids {
		b, o := want[id], got[id]
		switch {
		case b.Err == nil && o.Err != nil:
			t.Errorf("%s: the bundled resolver answers a value, ours fails: %v", id, o.Err)
		case b.Err != nil && o.Err == nil:
			t.Errorf("%s: the bundled resolver fails (%v), ours answers a value", id, b.Err)
		case b.Err == nil && b.Value != o.Value:
			t.Errorf("%s: the values differ", id)
		case b.Err == nil:
			resolved++
		}
	}
	if resolved != len(values) {
		t.Errorf("%d ids resolved alike, want the fixture's %d: the comparison proves nothing", resolved, len(values))
	}
}
