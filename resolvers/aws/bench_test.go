package aws_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// BenchmarkResolve is a whole run as the gateway pays for it: process
// start, policy checks, SDK configuration, and the calls to the fake
// (on loopback, without latency) for 1, 64 or 512 ids, Secrets Manager
// and SSM ids alternately.
func BenchmarkResolve(b *testing.B) {
	w := newWorld(b)
	all, _, _, _ := bulk(w.fake)
	// Secrets Manager and SSM ids alternately, so every prefix is mixed.
	var sm, ssm, mixed []string
	for _, id := range all {
		if strings.HasPrefix(id, "sm:") {
			sm = append(sm, id)
		} else {
			ssm = append(ssm, id)
		}
	}
	for i := range max(len(sm), len(ssm)) {
		if i < len(sm) {
			mixed = append(mixed, sm[i])
		}
		if i < len(ssm) {
			mixed = append(mixed, ssm[i])
		}
	}
	p := w.provider(nil)
	for _, n := range []int{1, 64, 512} {
		ids := mixed[:n]
		b.Run(fmt.Sprintf("ids=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := gatewayResolve(context.Background(), p, ids)
				if err != nil || len(res) != n {
					b.Fatalf("%d results, %v", len(res), err)
				}
				for id, r := range res {
					if r.Err != nil {
						b.Fatalf("%s: %v", id, r.Err)
					}
				}
			}
		})
	}
}
