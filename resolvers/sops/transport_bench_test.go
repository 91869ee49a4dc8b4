package sops_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/execref/execref/resolvers/sops/internal/encrypt"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
	"github.com/execref/execref/sdk/sdktest/transportbench"
)

// BenchmarkTransport is one batch of 1 or 64 ids from a sops file of 64
// values (encrypted for a real age key) through the three transports:
// cold exec, exec forwarded to an agent, go-plugin. sops has no login:
// every batch reads and decrypts the file again whichever way it comes
// (values are never kept), so what an agent can save is the process's
// start and its configuration. Values hold their own ids.
// docs/performance.md has the figures.
func BenchmarkTransport(b *testing.B) {
	id, err := encrypt.NewIdentity()
	must(b, err)
	keyFile := filepath.Join(b.TempDir(), "age-key.txt")
	must(b, os.WriteFile(keyFile, id.KeyFile(), 0o600))
	values := map[string]string{}
	app := map[string]string{}
	for i := range 64 {
		key := fmt.Sprintf("key%02d", i)
		values["app/"+key] = fmt.Sprintf("sops-value-of-app/%s-%x", key, i*7919)
		app[key] = values["app/"+key]
	}
	plain, err := json.Marshal(map[string]any{"app": app})
	must(b, err)
	files := map[string][]byte{"secrets.enc.json": encrypt.MustEncrypt(b, plain, "json", id.Recipient)}
	bin := sdktest.Install(b, sdktest.CachedWithoutPlugin(b, "./cmd/openclaw-sops-resolver"), files)
	s := transportbench.Setup{Name: "sops", Provider: host.Provider{Source: "exec", Command: bin,
		Args: []string{"--file", "secrets.enc.json"}, Env: map[string]string{"SOPS_AGE_KEY_FILE": keyFile}},
		PluginCommand: sdktest.Install(b, sdktest.Cached(b, "./cmd/openclaw-sops-resolver"), files)}
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
