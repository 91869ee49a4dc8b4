package vault

// ProviderTemplate is what `openclaw-vault-resolver install` prints beside
// the command: the token method, the one most users start with.
func (r *Resolver) ProviderTemplate() (args, passEnv []string, note string) {
	return nil, []string{"VAULT_ADDR", "VAULT_TOKEN"},
		"Token auth. Other methods (token file, AppRole, Kubernetes, JWT) and VAULT_NAMESPACE: docs/resolvers/vault.md."
}
