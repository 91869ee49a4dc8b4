// Command openclaw-sops-resolver resolves OpenClaw exec SecretRefs from
// sops-encrypted files. See docs/resolvers/sops.md.
package main

import (
	"github.com/execref/execref/resolvers/sops"
	"github.com/execref/execref/sdk"
)

func main() {
	sdk.Main(sdk.Program{
		Name:    "openclaw-sops-resolver",
		Summary: "secrets from sops-encrypted files (age, PGP, KMS …)",
		Backend: sops.New(),
	})
}
