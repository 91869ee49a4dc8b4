package vaulttest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/execref/execref/resolvers/vault/vaulttest/server"
)

// benchVaultEnv names the spec file of TestBenchServer. `make
// bench-compare` builds this package's test binary (vault-bench.test) and
// tools/cmd/execref-bench-compare runs it as a helper process:
//
//	EXECREF_BENCH_VAULT=spec.json vault-bench.test -test.run '^TestBenchServer$' -test.timeout 0
const benchVaultEnv = "EXECREF_BENCH_VAULT"

// benchSpec is what the benchmark wants in Vault: one KV version 2 mount
// and its secrets. Only string fields: the values are compared exactly.
type benchSpec struct {
	Mount   string `json:"mount"`
	Secrets []struct {
		Path   string            `json:"path"`
		Fields map[string]string `json:"fields"`
	} `json:"secrets"`
}

// benchServer is the one line TestBenchServer writes on stdout once Vault
// serves the spec's secrets: where, and a token that reads them.
type benchServer struct {
	Addr  string `json:"addr"`
	Token string `json:"token"`
}

// benchPolicy is the policy of the token TestBenchServer hands out.
const benchPolicy = "execref-bench-reader"

// TestBenchServer serves a real Vault for the side-by-side benchmark
// (`make bench-compare`) until its stdin ends; it is skipped unless
// EXECREF_BENCH_VAULT names a spec file (benchSpec).
//
// The mount is KV version 2, the version the gateway's bundled resolver
// assumes when OPENCLAW_VAULT_KV_VERSION is unset, so both resolvers run
// with their defaults. The token is a child token limited to reading the
// spec's secrets, as a user would give the gateway, not the root token:
// Vault checks its policy on every request, as it would in use. The
// fixtures' file audit device is disabled: Vault does not log requests to
// a file unless told to, and that disk write per request would weigh on
// the side that makes more requests.
//
// Stdout carries one JSON line (benchServer) and nothing else before it:
// Vault logs to stderr (server.Start), and t.Log writes nothing unless
// the test fails. The orchestrator holds stdin; when it closes it, or
// dies, the test returns and Vault stops. SIGINT and SIGTERM stop it as
// well, after its cleanup.
func TestBenchServer(t *testing.T) {
	specFile := os.Getenv(benchVaultEnv)
	if specFile == "" {
		t.Skip(benchVaultEnv + " is unset: this test serves Vault to make bench-compare")
	}
	spec, err := readBenchSpec(specFile)
	if err != nil {
		t.Fatal(err)
	}

	s := server.Start(t)
	if err := s.Client.Sys().DisableAudit("file"); err != nil {
		t.Fatalf("disable the fixtures' audit device: %v", err)
	}
	mount := spec.Mount + "/"
	if err := benchKV2(t, s, mount); err != nil {
		t.Fatal(err)
	}
	for _, sec := range spec.Secrets {
		fields := make(map[string]any, len(sec.Fields))
		for k, v := range sec.Fields {
			fields[k] = v
		}
		if err := s.PutKV(mount, 2, sec.Path, fields); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Client.Sys().PutPolicy(benchPolicy, benchPolicyRules(spec)); err != nil {
		t.Fatalf("policy %s: %v", benchPolicy, err)
	}
	// 24 hours: longer than any benchmark run, so the token cannot lapse
	// under one.
	token := s.Token(t, server.TokenOptions{Policies: []string{benchPolicy}, TTL: "24h", DisplayName: "execref-bench"})

	line, err := json.Marshal(benchServer{Addr: s.Addr, Token: token})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fmt.Fprintf(os.Stdout, "%s\n", line); err != nil {
		t.Fatalf("stdout: %v", err)
	}

	stdinDone := make(chan struct{})
	go func() {
		io.Copy(io.Discard, os.Stdin)
		close(stdinDone)
	}()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if deadline, ok := t.Deadline(); ok {
		// Return before -test.timeout panics, so that the cleanup runs.
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-5*time.Second))
		defer cancel()
	}
	select {
	case <-stdinDone:
	case <-ctx.Done():
	}
}

// readBenchSpec reads and checks the spec: a mount, and secrets with a
// path and at least one field each.
func readBenchSpec(file string) (benchSpec, error) {
	var spec benchSpec
	data, err := os.ReadFile(file)
	if err != nil {
		return spec, fmt.Errorf("%s: %w", benchVaultEnv, err)
	}
	if err := json.Unmarshal(data, &spec); err != nil {
		return spec, fmt.Errorf("%s: %s: %w", benchVaultEnv, file, err)
	}
	spec.Mount = strings.Trim(spec.Mount, "/")
	if spec.Mount == "" {
		return spec, fmt.Errorf("%s: %s: no mount", benchVaultEnv, file)
	}
	if len(spec.Secrets) == 0 {
		return spec, fmt.Errorf("%s: %s: no secrets", benchVaultEnv, file)
	}
	for i, sec := range spec.Secrets {
		if sec.Path == "" || strings.HasPrefix(sec.Path, "/") || strings.HasSuffix(sec.Path, "/") || len(sec.Fields) == 0 {
			return spec, fmt.Errorf("%s: %s: secret %d: want a path without a leading or trailing slash, and fields", benchVaultEnv, file, i)
		}
	}
	return spec, nil
}

// benchKV2 makes mount ("secret/") a KV version 2 mount: Vault's test core
// mounts secret/ as KV version 1, which is upgraded as `vault kv
// enable-versioning` does; any other path is mounted anew.
func benchKV2(t *testing.T, s *server.Server, mount string) error {
	mounts, err := s.Client.Sys().ListMounts()
	if err != nil {
		return fmt.Errorf("list mounts: %w", err)
	}
	m, ok := mounts[mount]
	switch {
	case !ok:
		return s.MountKV(strings.TrimSuffix(mount, "/"), "2")
	case m.Type != "kv":
		return fmt.Errorf("%s is a %s mount, not KV", mount, m.Type)
	case m.Options["version"] != "2":
		s.UpgradeKV(t, mount)
	}
	return nil
}

// benchPolicyRules lets the token read the spec's secrets, as a user
// grants a tree of secrets: one rule per top-level folder of the KV v2
// data paths ("secret/data/bench/*"), or the secret itself when it has no
// folder. Rules per secret would make Vault's ACL for every request
// hundreds of paths long, which is not what a user writes.
func benchPolicyRules(spec benchSpec) string {
	var rules []string
	for _, sec := range spec.Secrets {
		path := spec.Mount + "/data/" + sec.Path
		if top, _, ok := strings.Cut(sec.Path, "/"); ok {
			path = spec.Mount + "/data/" + top + "/*"
		}
		rules = append(rules, fmt.Sprintf("path %q { capabilities = [\"read\"] }", path))
	}
	slices.Sort(rules)
	return strings.Join(slices.Compact(rules), "\n")
}
