package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/tools/internal/benchcompare"
)

// setupSops encrypts one JSON file for a new age key with the sops CLI
// (the sops release our resolver links, built from the module proxy) and
// compares our resolver with the gateway docs' recipe: one provider per
// secret whose command is sops itself, `sops -d --extract '["k"]' FILE`
// with `jsonOnly: false` (docs/gateway/secrets/integration-examples.md
// in the openclaw package), so a batch of n ids is n sops processes,
// four at a time.
func setupSops(e *env) (*backend, error) {
	sops, err := e.program(e.tools, "sops")
	if err != nil {
		return nil, err
	}
	keygen, err := e.program(e.tools, "age-keygen")
	if err != nil {
		return nil, err
	}
	ours, err := e.program(e.bin, "openclaw-sops-resolver")
	if err != nil {
		return nil, err
	}
	dir, err := e.mkdir("sops")
	if err != nil {
		return nil, err
	}
	key := filepath.Join(dir, "age-key.txt")
	if out, err := exec.Command(keygen, "-o", key).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("age-keygen: %v: %s", err, out)
	}
	recipient, err := ageRecipient(key)
	if err != nil {
		return nil, err
	}
	// Values hold their own key, so that an answer for another id
	// cannot pass.
	values := map[string]string{}
	for i := range slices.Max(e.sizes) {
		name := fmt.Sprintf("s%d", i)
		values[name] = fmt.Sprintf("sops-secret-bench/%s-%s", name, nonce())
	}
	plain, err := json.Marshal(map[string]any{"bench": values})
	if err != nil {
		return nil, err
	}
	plainFile := filepath.Join(dir, "plain.json")
	if err := os.WriteFile(plainFile, plain, 0o600); err != nil {
		return nil, err
	}
	enc := exec.Command(sops, "-e", "--age", recipient, "--input-type", "json", "--output-type", "json", plainFile)
	enc.Dir, enc.Env = dir, []string{"SOPS_AGE_KEY_FILE=" + key}
	var stderr bytes.Buffer
	enc.Stderr = &stderr
	encrypted, err := enc.Output()
	if err != nil {
		return nil, fmt.Errorf("sops -e: %v: %s", err, stderr.Bytes())
	}
	file := filepath.Join(dir, "secrets.enc.json")
	if err := os.WriteFile(file, encrypted, 0o600); err != nil {
		return nil, err
	}
	if err := os.Remove(plainFile); err != nil {
		return nil, err
	}

	batch := func(n int) ([]string, map[string]string) {
		ids, want := make([]string, n), map[string]string{}
		for i := range n {
			name := fmt.Sprintf("s%d", i)
			ids[i] = "bench/" + name
			want[ids[i]] = values[name]
		}
		return ids, want
	}
	b := &backend{name: "sops"}
	b.ours = func(n int) (benchcompare.Proc, map[string]string, error) {
		ids, want := batch(n)
		return benchcompare.Proc{
			Provider: host.Provider{Source: "exec", Command: ours, Args: []string{"--file", file},
				Env: map[string]string{"SOPS_AGE_KEY_FILE": key}},
			Stdin: benchcompare.Request("sops", ids),
			Check: benchcompare.CheckValues(want),
		}, want, nil
	}
	for _, n := range e.sizes {
		p, _, _ := b.ours(n)
		ids, want := batch(n)
		recipe := make([]benchcompare.Proc, n)
		for i, id := range ids {
			name := strings.TrimPrefix(id, "bench/")
			recipe[i] = benchcompare.Proc{
				Provider: host.Provider{Source: "exec", Command: sops, JSONOnly: &rawOutput,
					Args: []string{"-d", "--extract", `["bench"]["` + name + `"]`, file},
					Env:  map[string]string{"SOPS_AGE_KEY_FILE": key}},
				Stdin: benchcompare.Request("sops_"+name, []string{"value"}),
				Check: benchcompare.CheckRaw(want[id]),
			}
		}
		b.pairs = append(b.pairs, benchcompare.Pair{
			Section: "sops: openclaw-sops-resolver against the docs' recipe",
			Case:    idsCase(n),
			IDs:     n,
			A:       benchcompare.Side{Name: "openclaw-sops-resolver", Procs: []benchcompare.Proc{p}},
			B:       benchcompare.Side{Name: "sops -d --extract, one provider per id", Procs: recipe, Parallel: 4},
		})
	}
	return b, nil
}

// rawOutput is the recipe's jsonOnly: sops prints the bare value.
var rawOutput = false

// ageRecipient reads the public key age-keygen writes as a comment in the
// key file.
func ageRecipient(keyFile string) (string, error) {
	data, err := os.ReadFile(keyFile)
	if err != nil {
		return "", err
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if r, ok := strings.CutPrefix(line, "# public key: "); ok {
			return strings.TrimSpace(r), nil
		}
	}
	return "", fmt.Errorf("%s: no public key comment", keyFile)
}
