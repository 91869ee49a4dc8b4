package sops

// ProviderTemplate is what `openclaw-sops-resolver install` prints beside
// the command. The encrypted file is the user's to name, so it is in the
// note rather than a placeholder that would fail when pasted as is.
func (r *Resolver) ProviderTemplate() (args, passEnv []string, note string) {
	return nil, []string{"SOPS_AGE_KEY_FILE"},
		"Add args: [\"--file\", \"/absolute/path/secrets.enc.yaml\"] (the default file; more: docs/resolvers/sops.md).\n" +
			"SOPS_AGE_KEY_FILE names the age key; or set env: { SOPS_AGE_KEY_FILE: \"/absolute/path/keys.txt\" }."
}
