// Package vaulttest holds the integration tests and benchmarks of
// openclaw-vault-resolver against a real Vault.
//
// It is a module of its own because it links all of Vault (its core, HTTP
// handler, KV engine, and the AppRole, JWT and Kubernetes auth methods),
// which the resolver itself must never do. It is not in go.work, so that
// go test work never builds Vault; run it with
//
//	make test-vault    # GOWORK=off go test ./... with its own build cache
//	make bench-vault
//
// Package server starts the Vault: vault.TestCoreUnsealed's in-memory core,
// served over HTTP on loopback by Vault's own handler, with a file audit
// device whose log counts requests, the fixtures written through the API,
// and a proxy for faults a real Vault will not produce on demand. The tests
// build the resolver (the tool directive in go.mod) and run it through
// sdk/host exactly as the gateway does, against the contract in
// docs/resolvers/vault.md.
package vaulttest
