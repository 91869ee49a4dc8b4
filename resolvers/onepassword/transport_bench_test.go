package onepassword_test

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/onepassword"
	"github.com/execref/execref/resolvers/onepassword/internal/fakeconnect"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
	"github.com/execref/execref/sdk/sdktest/transportbench"
)

// The 1Password resolver through the three transports: cold exec, exec
// forwarded to an agent started once with the same flags and
// environment, and go-plugin. docs/performance.md has the figures.

// BenchmarkTransportSDK is sdk mode's cost of getting started, the part
// that can run here. No 1Password can be reached from this machine (the
// provider's proxy variables point at a closed loopback port), so no
// batch can sign in; what runs is everything before the sign-in: a
// well-formed service-account token, and references the SDK's own
// parser refuses (INVALID_ID, naming each), which it can only say once
// its WASM core is compiled and running: seconds of CPU in every new
// process. Cold exec pays that every batch; the agent and go-plugin once
// per process (the resolver keeps the core warm). A reference that
// needs the sign-in would add its round trips to 1Password to every cold
// batch, and the kept client saves them too. The provider has a 30 s
// timeout so that a busy machine measures rather than times out.
func BenchmarkTransportSDK(b *testing.B) {
	bin := sdktest.Install(b, sdktest.CachedWithoutPlugin(b, "./cmd/openclaw-1password-resolver"), nil)
	ref := "op://Private/item-000/password?attribute=type"
	id := encodeRef(b, bin, ref)
	offline := "http://127.0.0.1:1" // nothing listens: a proxy that refuses
	s := transportbench.Setup{Name: "onepassword", Provider: host.Provider{Source: "exec", Command: bin,
		Args: []string{"--mode", "sdk", "--timeout", "29s"}, TimeoutMs: 30000, NoOutputTimeoutMs: 30000,
		Env: map[string]string{"OP_SERVICE_ACCOUNT_TOKEN": onepassword.FakeServiceAccountToken(b), "HTTPS_PROXY": offline, "HTTP_PROXY": offline}},
		PluginCommand: sdktest.Install(b, sdktest.Cached(b, "./cmd/openclaw-1password-resolver"), nil)}
	batch := transportbench.Batch{IDs: []string{id},
		WantErrors: map[string]transportbench.IDError{id: {Code: protocol.InvalidID, Contains: ref}}}
	b.Run("ids=1", func(b *testing.B) { transportbench.Run(b, s, batch) })
}

// encodeRef is the id of a reference, as the resolver's encode command
// prints it.
func encodeRef(b *testing.B, bin, ref string) string {
	out, err := exec.Command(bin, "encode", ref).Output()
	if err != nil {
		b.Fatalf("encode %s: %v", ref, err)
	}
	return strings.TrimSpace(string(out))
}

// BenchmarkTransportConnect is connect mode against fakeconnect (its
// REST API on loopback, bearer token checked): batches of 1 and 64 ids,
// each a field of an item of its own; values hold their own ids.
// connect-requests/op counts the calls the fake answered per batch.
func BenchmarkTransportConnect(b *testing.B) {
	fake := fakeconnect.Start(b)
	v := fake.AddVault("Private")
	var ids []string
	want := map[string]string{}
	for i := range 64 {
		title := fmt.Sprintf("item-%03d", i)
		id := "Private/" + title + "/password"
		ids = append(ids, id)
		want[id] = "op-value-of-" + id
		fake.AddItem(v.ID, fakeconnect.Item{Title: title,
			Fields: []fakeconnect.Field{{Label: "password", Value: want[id], Purpose: "PASSWORD"}}})
	}
	bin := sdktest.Install(b, sdktest.CachedWithoutPlugin(b, "./cmd/openclaw-1password-resolver"), nil)
	s := transportbench.Setup{Name: "onepassword", Provider: host.Provider{Source: "exec", Command: bin,
		Args: []string{"--mode", "connect"},
		Env:  map[string]string{"OP_CONNECT_HOST": fake.URL, "OP_CONNECT_TOKEN": fakeconnect.Token}},
		PluginCommand: sdktest.Install(b, sdktest.Cached(b, "./cmd/openclaw-1password-resolver"), nil)}
	requests := transportbench.Counter{Unit: "connect-requests/op", Count: func() int { return len(fake.Requests()) }}
	for _, n := range []int{1, 64} {
		batch := transportbench.Batch{IDs: ids[:n], Want: map[string]string{}}
		for _, id := range batch.IDs {
			batch.Want[id] = want[id]
		}
		b.Run(fmt.Sprintf("ids=%d", n), func(b *testing.B) { transportbench.Run(b, s, batch, requests) })
	}
}
