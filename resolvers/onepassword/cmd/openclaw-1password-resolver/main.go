// Command openclaw-1password-resolver resolves OpenClaw exec SecretRefs
// from 1Password. See docs/resolvers/1password.md.
package main

import (
	"github.com/execref/execref/resolvers/onepassword"
	"github.com/execref/execref/sdk"
)

func main() {
	sdk.Main(sdk.Program{
		Name:    "openclaw-1password-resolver",
		Summary: "secrets from 1Password: service accounts, Connect, or the op CLI",
		Backend: onepassword.New(),
	})
}
