// Command openclaw-vault-resolver resolves OpenClaw exec SecretRefs from
// HashiCorp Vault KV (v1 and v2). See docs/resolvers/vault.md.
package main

import (
	"github.com/execref/execref/resolvers/vault"
	"github.com/execref/execref/sdk"
)

func main() {
	sdk.Main(sdk.Program{
		Name:    "openclaw-vault-resolver",
		Summary: "secrets from HashiCorp Vault KV v1 and v2",
		Backend: vault.New(),
	})
}
