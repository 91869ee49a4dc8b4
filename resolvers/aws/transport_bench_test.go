package aws_test

import (
	"fmt"
	"testing"

	"github.com/execref/execref/resolvers/aws/internal/fakeaws"
	"github.com/execref/execref/sdk/sdktest"
	"github.com/execref/execref/sdk/sdktest/transportbench"
)

// BenchmarkTransport is one batch with an assumed role through the three
// transports, against fakeaws (the real SDK, the services' wire
// protocols, SigV4 checked; only the role's credentials may read): cold
// exec (AssumeRole, then the reads, every batch), exec forwarded to an
// agent started once with the same flags and environment, and
// go-plugin. Batches of 1 id and of 64 (Secrets Manager and SSM
// alternately); values hold their own names. Besides ns/op and
// cpu-ms/op (the resolver's processes), assume-role/op is STS AssumeRole
// calls and aws-requests/op every call the fake answered, per batch.
// docs/performance.md has the figures.
func BenchmarkTransport(b *testing.B) {
	w := newWorld(b)
	role := fakeaws.RoleARN("openclaw-reader")
	w.fake.AddRole(role, "ext-bench")
	w.fake.RequireRole(role)
	var ids []string
	want := map[string]string{}
	for i := range 32 {
		name := fmt.Sprintf("bench/s%02d", i)
		want["sm:"+name] = "sm-value-of-" + name
		w.fake.PutSecretString(name, want["sm:"+name])
		param := fmt.Sprintf("/bench/p%02d", i)
		want["ssm:"+param] = "ssm-value-of-" + param
		w.fake.PutParameter(param, fakeaws.TypeSecureString, want["ssm:"+param])
		ids = append(ids, "sm:"+name, "ssm:"+param)
	}
	setup := transportbench.Setup{Name: providerName, Provider: w.provider(nil, "--role-arn", role, "--external-id", "ext-bench"), PluginCommand: w.bin}
	setup.Provider.Command = sdktest.Install(b, sdktest.CachedWithoutPlugin(b, "./cmd/openclaw-aws-resolver"), nil)
	assumed := transportbench.Counter{Unit: "assume-role/op", Count: func() int { return w.fake.Calls(fakeaws.OpAssumeRole) }}
	requests := transportbench.Counter{Unit: "aws-requests/op", Count: func() int { return len(w.fake.Requests()) }}
	for _, n := range []int{1, 64} {
		batch := transportbench.Batch{IDs: ids[:n], Want: map[string]string{}}
		for _, id := range batch.IDs {
			batch.Want[id] = want[id]
		}
		b.Run(fmt.Sprintf("ids=%d", n), func(b *testing.B) { transportbench.Run(b, setup, batch, assumed, requests) })
	}
}
