package vaulttest_test

import (
	"fmt"
	"testing"

	"github.com/execref/execref/resolvers/vault/vaulttest/server"
	"github.com/execref/execref/sdk/sdktest"
	"github.com/execref/execref/sdk/sdktest/transportbench"
)

// BenchmarkTransport is one batch with an AppRole login through the three
// transports, against the in-process Vault: cold exec (a login, then the
// reads, every batch), exec forwarded to an agent started once with the
// same flags and environment, and go-plugin. Batches of 1 id (one path)
// and of 64 ids (8 fields of 8 paths); values hold their path and field.
// Besides ns/op and cpu-ms/op (the resolver's processes), logins/op is
// the AppRole logins and vault-requests/op every request Vault audited,
// per batch: what a warm login saves is seen there.
// docs/performance.md has the figures.
func BenchmarkTransport(b *testing.B) {
	s := server.Start(b)
	start := s.Audit.Mark()
	// audited counts the requests Vault audited since start whose path has
	// prefix (and, when op is set, that operation).
	audited := func(prefix, op string) func() int {
		return func() int {
			entries, err := s.Audit.Since(start)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for _, e := range server.Requests(entries, prefix) {
				if op == "" || e.Request.Operation == op {
					n++
				}
			}
			return n
		}
	}
	logins := transportbench.Counter{Unit: "logins/op", Count: audited("auth/"+s.AppRole.Mount+"/login", "update")}
	requests := transportbench.Counter{Unit: "vault-requests/op", Count: audited("", "")}
	p := provider(s.Addr, map[string]string{"VAULT_ROLE_ID": s.AppRole.RoleID, "VAULT_SECRET_ID": s.AppRole.SecretID}, "--auth", "approle")
	setup := transportbench.Setup{Name: "vault", Provider: p, PluginCommand: binary}
	setup.Provider.Command = sdktest.Install(b, sdktest.CachedWithoutPlugin(b, resolverPkg), nil)
	for _, c := range []struct{ ids, paths int }{{1, 1}, {64, 8}} {
		ids, want := server.BenchIDs(c.ids, c.paths)
		b.Run(fmt.Sprintf("ids=%d", c.ids), func(b *testing.B) {
			transportbench.Run(b, setup, transportbench.Batch{IDs: ids, Want: want}, logins, requests)
		})
	}
}
