//go:build unix

package onepassword_test

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/execref/execref/resolvers/onepassword/internal/fakeconnect"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// Cold starts as the gateway pays for them: the built resolver, installed
// and run through the host runner (policy checks, a fresh process per
// batch, the response parsed), for 1, 64 and 512 ids, each id a field of
// an item of its own (the most items a batch can ask for). Besides ns/op,
// cpu-ms/op is the CPU time of the resolver process and of what it ran
// (op, in cli mode), from the children's rusage: the machine's load skews
// wall time, CPU time much less. The figures are recorded in
// docs/resolvers/1password.md, "Choosing a mode".
//
// sdk mode cannot be run whole here (no 1Password account can be
// reached), so BenchmarkSDKNewClient measures what it costs before the
// network: the process start and NewClient's compilation of the SDK's
// WASM core, which happens on every start whatever the batch, ended by a
// malformed token (exit 77) before any connection.

// benchGateway is an empty gateway environment: only a provider's env
// reaches the resolver.
var benchGateway = &host.Runner{LookupEnv: func(string) (string, bool) { return "", false }}

// benchIDs are the ids of a benchmark batch: Private/item-NNN/password.
func benchIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("Private/item-%03d/password", i)
	}
	return ids
}

func benchValue(i int) string {
	return fmt.Sprintf("value-%03d-%x", i, sha256.Sum256([]byte{byte(i), byte(i >> 8)}))
}

// childCPU is the CPU time of every child process waited for so far.
func childCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// runBatches resolves ids with p once per iteration and reports
// cpu-ms/op; every id must get its own value.
func runBatches(b *testing.B, p host.Provider, ids []string) {
	b.Helper()
	start := childCPU(b)
	n := 0
	for b.Loop() {
		res, err := benchGateway.Resolve(context.Background(), "onepassword", p, ids)
		if err != nil {
			b.Fatalf("resolve: %v", err)
		}
		for i, id := range ids {
			if r := res[id]; r.Err != nil || r.Value != benchValue(i) {
				b.Fatalf("%s: not its value (error %v)", id, r.Err)
			}
		}
		n++
	}
	b.ReportMetric(float64(childCPU(b)-start)/float64(time.Millisecond)/float64(n), "cpu-ms/op")
}

func BenchmarkColdStartConnect(b *testing.B) {
	fake := fakeconnect.Start(b)
	v := fake.AddVault("Private")
	for i := range 512 {
		fake.AddItem(v.ID, fakeconnect.Item{
			Title:  fmt.Sprintf("item-%03d", i),
			Fields: []fakeconnect.Field{{Label: "password", Value: benchValue(i), Purpose: "PASSWORD"}},
		})
	}
	bin := sdktest.Install(b, sdktest.Cached(b, "./cmd/openclaw-1password-resolver"), nil)
	p := host.Provider{Source: "exec", Command: bin, Args: []string{"--mode", "connect"},
		Env: map[string]string{"OP_CONNECT_HOST": fake.URL, "OP_CONNECT_TOKEN": fakeconnect.Token}}
	for _, n := range []int{1, 64, 512} {
		b.Run(fmt.Sprintf("ids=%d", n), func(b *testing.B) { runBatches(b, p, benchIDs(n)) })
	}
}

func BenchmarkColdStartCLI(b *testing.B) {
	// fakeop's account, in its JSON form (internal/fakeop/data.go).
	type field struct {
		ID    string `json:"id"`
		Label string `json:"label"`
		Value string `json:"value"`
	}
	type item struct {
		ID     string  `json:"id"`
		Title  string  `json:"title"`
		Fields []field `json:"fields"`
	}
	id := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding).EncodeToString(sum[:16])
	}
	var items []item
	for i := range 512 {
		items = append(items, item{ID: id(fmt.Sprint("item", i)), Title: fmt.Sprintf("item-%03d", i),
			Fields: []field{{ID: id(fmt.Sprint("field", i)), Label: "password", Value: benchValue(i)}}})
	}
	data, err := json.Marshal(map[string]any{"vaults": []any{map[string]any{"id": id("vault"), "name": "Private", "items": items}}})
	if err != nil {
		b.Fatal(err)
	}
	op := sdktest.Install(b, sdktest.Cached(b, "./internal/fakeop"), map[string][]byte{"fakeop.json": data})
	bin := sdktest.Install(b, sdktest.Cached(b, "./cmd/openclaw-1password-resolver"), nil)
	p := host.Provider{Source: "exec", Command: bin, Args: []string{"--mode", "cli", "--op", op}}
	for _, n := range []int{1, 64, 512} {
		b.Run(fmt.Sprintf("ids=%d", n), func(b *testing.B) { runBatches(b, p, benchIDs(n)) })
	}
}

// BenchmarkSDKNewClient is sdk mode's fixed cost per start, without the
// network: the resolver in sdk mode with a malformed token, which the
// SDK refuses only after compiling its core (exit 77). A real run adds
// the sign-in (several round trips to 1Password) and one ResolveAll. The
// provider has a 30 s timeout so that a slow machine measures the cost
// instead of timing out at the gateway's default 5 s.
func BenchmarkSDKNewClient(b *testing.B) {
	bin := sdktest.Install(b, sdktest.Cached(b, "./cmd/openclaw-1password-resolver"), nil)
	p := host.Provider{Source: "exec", Command: bin, Args: []string{"--mode", "sdk", "--timeout", "29s"},
		TimeoutMs: 30000, NoOutputTimeoutMs: 30000,
		Env: map[string]string{"OP_SERVICE_ACCOUNT_TOKEN": "ops_malformed"}}
	start := childCPU(b)
	n := 0
	for b.Loop() {
		_, err := benchGateway.Resolve(context.Background(), "onepassword", p, []string{"Private/item-000/password"})
		var pe *host.ProviderError
		if !errors.As(err, &pe) || !errors.Is(pe.Err, host.ErrExit) || pe.ExitCode != 77 {
			b.Fatalf("want exit 77 for a malformed token, got %v", err)
		}
		n++
	}
	b.ReportMetric(float64(childCPU(b)-start)/float64(time.Millisecond)/float64(n), "cpu-ms/op")
}
