package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/tools/internal/benchcompare"
)

// setupVault starts a real Vault (the Vault test module's TestBenchServer,
// built as vault-bench.test) holding this run's secrets, and compares
// openclaw-vault-resolver with the gateway's bundled Node resolver
// (dist/extensions/vault/vault-secret-ref-resolver.js) on the same items:
// ours with ids MOUNT/PATH#FIELD, the bundled resolver with the same items
// in its syntax PATH/FIELD. Both get what a user gives them: VAULT_ADDR
// and a token limited to reading the secrets, and otherwise their
// defaults (the mount secret/, KV version 2, which ours looks up and the
// bundled resolver assumes).
func setupVault(e *env) (*backend, error) {
	ours, err := e.program(e.bin, "openclaw-vault-resolver")
	if err != nil {
		return nil, err
	}
	server, err := e.program(e.tools, "vault-bench.test")
	if err != nil {
		return nil, err
	}
	script := filepath.Join(e.openclaw, "node_modules", "openclaw", "dist", "extensions", "vault", "vault-secret-ref-resolver.js")
	if _, err := os.Stat(script); err != nil {
		return nil, fmt.Errorf("the bundled Vault resolver: %w (scripts/install-openclaw.sh installs it)", err)
	}
	if _, err := os.Stat(e.node); err != nil {
		return nil, fmt.Errorf("node: %w (scripts/install-openclaw.sh installs it)", err)
	}
	dir, err := e.mkdir("vault")
	if err != nil {
		return nil, err
	}

	largest := slices.Max(e.sizes)
	packed := packedItems(largest)
	var spread []vaultItem
	if slices.Contains(e.sizes, worstCaseIDs) {
		spread = spreadItems(worstCaseIDs)
	}
	secret := nonce()
	specFile := filepath.Join(dir, "spec.json")
	if err := writeVaultSpec(specFile, slices.Concat(packed, spread), secret); err != nil {
		return nil, err
	}
	srv, err := startVaultServer(e, server, specFile)
	if err != nil {
		return nil, err
	}

	// What a user sets for each: the address and the token, and for the
	// bundled resolver its plugin's preset (${node} and the script, its
	// timeouts and output cap from openclaw.plugin.json).
	userEnv := func() map[string]string {
		return map[string]string{"VAULT_ADDR": srv.Addr, "VAULT_TOKEN": srv.Token}
	}
	oursProc := func(items []vaultItem) (benchcompare.Proc, map[string]string) {
		ids, want := vaultBatch(items, secret, vaultItem.oursID)
		return benchcompare.Proc{
			Provider: host.Provider{Source: "exec", Command: ours, Env: userEnv()},
			Stdin:    benchcompare.Request("vault", ids),
			Check:    benchcompare.CheckValues(want),
		}, want
	}
	bundledProc := func(items []vaultItem) benchcompare.Proc {
		ids, want := vaultBatch(items, secret, vaultItem.bundledID)
		return benchcompare.Proc{
			Provider: host.Provider{Source: "exec", Command: e.node, Args: []string{script}, Env: userEnv(),
				TimeoutMs: 15000, NoOutputTimeoutMs: 15000, MaxOutputBytes: 1 << 20},
			Stdin: benchcompare.Request("vault", ids),
			Check: benchcompare.CheckValues(want),
		}
	}

	b := &backend{name: "vault"}
	b.ours = func(n int) (benchcompare.Proc, map[string]string, error) {
		if n < 1 || n > len(packed) {
			return benchcompare.Proc{}, nil, fmt.Errorf("a batch of %d ids: Vault holds %d (the largest of -ids)", n, len(packed))
		}
		p, want := oursProc(packed[:n])
		return p, want, nil
	}
	vaultCPU, err := newServerCPU("Vault", srv.pid)
	if err != nil {
		return nil, err
	}
	pair := func(items []vaultItem, targets ...benchcompare.Target) benchcompare.Pair {
		a, _ := oursProc(items)
		return benchcompare.Pair{
			Section: "Vault: openclaw-vault-resolver against the bundled Node resolver",
			Case:    vaultCase(len(items), pathsOf(items)),
			IDs:     len(items),
			A:       benchcompare.Side{Name: "openclaw-vault-resolver", Procs: []benchcompare.Proc{a}},
			B:       benchcompare.Side{Name: "bundled Node resolver", Procs: []benchcompare.Proc{bundledProc(items)}},
			Targets: targets,
			After:   vaultCPU.note,
		}
	}
	// The targets: at every batch size, at least 15 times faster
	// and 6 times less memory than the bundled resolver; 512 ids over 512
	// paths, the most reads a batch can ask, in 100 ms.
	bundledTargets := []benchcompare.Target{fasterThanBundled(15), lessMemoryThanBundled(6)}
	for _, n := range e.sizes {
		b.pairs = append(b.pairs, pair(packed[:n], bundledTargets...))
	}
	if spread != nil {
		b.pairs = append(b.pairs, pair(spread, slices.Concat(bundledTargets, []benchcompare.Target{atMost(100 * time.Millisecond)})...))
	}
	return b, nil
}

// The secrets' layout. A batch of n ids asks 8 fields of each path it
// reads, so n ids read ⌈n/8⌉ paths (1 id: 1 path; 64: 8; 512: 64); the
// worst case is 512 ids each on a path of its own.
const (
	vaultMount     = "secret" // KV v2: both resolvers' default mount
	fieldsPerPath  = 8
	worstCaseIDs   = 512 // the gateway's maxRefsPerProvider
	packedPrefix   = "bench/p"
	spreadPrefix   = "bench/spread/s"
	spreadField    = "f"
	vaultStartWait = 2 * time.Minute
)

// A vaultItem is one field of one secret in vaultMount.
type vaultItem struct{ path, field string }

// oursID is the item in our explicit syntax, MOUNT/PATH#FIELD.
func (i vaultItem) oursID() string { return vaultMount + "/" + i.path + "#" + i.field }

// bundledID is the item in the bundled resolver's syntax, PATH/FIELD in
// its mount (OPENCLAW_VAULT_KV_MOUNT, default secret).
func (i vaultItem) bundledID() string { return i.path + "/" + i.field }

// value is the item's value in this run: it names its own mount, path and
// field, so an answer for another item cannot pass, and holds the run's
// nonce, so a value from another run cannot either.
func (i vaultItem) value(nonce string) string {
	return "vault-" + vaultMount + "/" + i.path + "#" + i.field + "-" + nonce
}

// packedItems are n items, fieldsPerPath to a path: bench/p0#f0 … f7,
// bench/p1#f0, …
func packedItems(n int) []vaultItem {
	items := make([]vaultItem, n)
	for i := range items {
		items[i] = vaultItem{fmt.Sprintf("%s%d", packedPrefix, i/fieldsPerPath), fmt.Sprintf("f%d", i%fieldsPerPath)}
	}
	return items
}

// spreadItems are n items, one to a path: bench/spread/s0#f, …
func spreadItems(n int) []vaultItem {
	items := make([]vaultItem, n)
	for i := range items {
		items[i] = vaultItem{fmt.Sprintf("%s%d", spreadPrefix, i), spreadField}
	}
	return items
}

// pathsOf is how many distinct paths items read.
func pathsOf(items []vaultItem) int {
	paths := map[string]bool{}
	for _, it := range items {
		paths[it.path] = true
	}
	return len(paths)
}

// vaultCase names a row: "1 id", "64 ids over 8 paths".
func vaultCase(ids, paths int) string {
	switch {
	case ids == 1:
		return "1 id"
	case paths == 1:
		return fmt.Sprintf("%d ids over 1 path", ids)
	}
	return fmt.Sprintf("%d ids over %d paths", ids, paths)
}

// vaultBatch is the ids of items in one resolver's syntax, and the value
// each must get.
func vaultBatch(items []vaultItem, nonce string, id func(vaultItem) string) ([]string, map[string]string) {
	ids := make([]string, len(items))
	want := make(map[string]string, len(items))
	for i, it := range items {
		ids[i] = id(it)
		want[ids[i]] = it.value(nonce)
	}
	return ids, want
}

// vaultSpec is what TestBenchServer (resolvers/vault/vaulttest/
// benchserver_test.go) reads: a KV v2 mount and its secrets.
type vaultSpec struct {
	Mount   string            `json:"mount"`
	Secrets []vaultSpecSecret `json:"secrets"`
}

type vaultSpecSecret struct {
	Path   string            `json:"path"`
	Fields map[string]string `json:"fields"`
}

// writeVaultSpec writes the spec of items, grouped by path, in order.
func writeVaultSpec(file string, items []vaultItem, nonce string) error {
	spec := vaultSpec{Mount: vaultMount}
	index := map[string]int{}
	for _, it := range items {
		i, ok := index[it.path]
		if !ok {
			i = len(spec.Secrets)
			index[it.path] = i
			spec.Secrets = append(spec.Secrets, vaultSpecSecret{Path: it.path, Fields: map[string]string{}})
		}
		spec.Secrets[i].Fields[it.field] = it.value(nonce)
	}
	data, err := json.Marshal(spec)
	if err != nil {
		return err
	}
	return os.WriteFile(file, data, 0o600)
}

// vaultServer is the line TestBenchServer writes once Vault serves the
// spec: its address and a token that reads the spec's secrets.
type vaultServer struct {
	Addr  string `json:"addr"`
	Token string `json:"token"`
	pid   int    // the server's process, whose CPU time the notes give
}

// startVaultServer runs TestBenchServer from the Vault test module's test
// binary and waits, at most vaultStartWait, for the line saying where
// Vault listens; e.onExit stops it.
func startVaultServer(e *env, program, specFile string) (vaultServer, error) {
	cmd := exec.Command(program, "-test.run", "^TestBenchServer$", "-test.timeout", "0")
	// This process's VAULT_* variables (a user's real Vault) must not
	// reach the test Vault's API client.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "VAULT_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "EXECREF_BENCH_VAULT="+specFile)
	var srv vaultServer
	s, err := startServer("vault-bench.test", cmd, vaultStartWait, &srv,
		func() bool { return srv.Token != "" && strings.HasPrefix(srv.Addr, "http://127.0.0.1:") },
		`{"addr":"http://127.0.0.1:PORT","token":…}`)
	if err != nil {
		return vaultServer{}, err
	}
	e.onExit(func() { s.stop(10 * time.Second) })
	srv.pid = s.cmd.Process.Pid
	return srv, nil
}
