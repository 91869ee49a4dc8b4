package vaulttest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/execref/execref/resolvers/vault/vaulttest/server"
)

// BenchmarkResolve is a whole run as the gateway pays for it, against the
// in-process Vault over loopback HTTP: process start, the command-path
// policy, one mount lookup, one read per path, 1, 64 or 512 ids over 1 or
// 64 paths. ns/op is the gateway's wait; B/op and allocs/op are this
// process's, which serves Vault (audit device on): they measure what a
// batch costs the server, not the resolver's own memory.
func BenchmarkResolve(b *testing.B) {
	s := server.Start(b)
	p := tokenProvider(s.Addr, s.RootToken)
	for _, c := range []struct{ ids, paths int }{{1, 1}, {64, 1}, {64, 64}, {512, 1}, {512, 64}} {
		ids, want := server.BenchIDs(c.ids, c.paths)
		b.Run(fmt.Sprintf("ids=%d/paths=%d", c.ids, c.paths), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := gateway.Resolve(context.Background(), "vault", p, ids)
				if err != nil || len(res) != c.ids {
					b.Fatalf("%d results, %v", len(res), err)
				}
				for id, r := range res {
					if r.Err != nil || r.Value != want[id] {
						b.Fatalf("%s: %v", id, r.Err)
					}
				}
			}
		})
	}
}
