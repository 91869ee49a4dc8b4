package sdk_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
	"github.com/execref/execref/sdk/sdktest/transportbench"
)

// BenchmarkTransport is the floor of the three transports: the SDK's
// example resolver, which reads a small JSON file and has nothing to log
// in to, so what the figures show is the transport itself (a process
// start and the SDK's work per exec run; a unix-socket or go-plugin call
// otherwise). Values hold their own ids. docs/performance.md has the
// figures.
func BenchmarkTransport(b *testing.B) {
	values := map[string]string{}
	for i := range 64 {
		id := fmt.Sprintf("app/key%02d", i)
		values[id] = fmt.Sprintf("value-of-%s-%x", id, i*7919)
	}
	data, err := json.Marshal(values)
	if err != nil {
		b.Fatal(err)
	}
	files := map[string][]byte{"secrets.json": data}
	bin := sdktest.Install(b, sdktest.CachedWithoutPlugin(b, "./examples/openclaw-jsonfile-resolver"), files)
	s := transportbench.Setup{Name: "jsonfile", Provider: host.Provider{Source: "exec", Command: bin},
		PluginCommand: sdktest.Install(b, sdktest.Cached(b, "./examples/openclaw-jsonfile-resolver"), files)}
	for _, n := range []int{1, 64} {
		batch := transportbench.Batch{Want: map[string]string{}}
		for i := range n {
			id := fmt.Sprintf("app/key%02d", i)
			batch.IDs = append(batch.IDs, id)
			batch.Want[id] = values[id]
		}
		b.Run(fmt.Sprintf("ids=%d", n), func(b *testing.B) { transportbench.Run(b, s, batch) })
	}
}
