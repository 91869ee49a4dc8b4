package onepassword

// ProviderTemplate is what `openclaw-1password-resolver install` prints
// beside the command: the variables of both auto-detected modes (connect
// when OP_CONNECT_HOST and OP_CONNECT_TOKEN are set, else a service
// account); the gateway passes only those that are set.
func (r *Resolver) ProviderTemplate() (args, passEnv []string, note string) {
	return nil, []string{"OP_SERVICE_ACCOUNT_TOKEN", "OP_CONNECT_HOST", "OP_CONNECT_TOKEN"},
		"Service-account (sdk) mode is slower to start: add args: [\"--timeout\", \"14s\"],\n" +
			"timeoutMs: 15000 and noOutputTimeoutMs: 15000. Modes and --token-file: docs/resolvers/1password.md."
}

// ProviderName is "onepassword": the gateway's provider names start with
// a letter, so the binary's short name "1password" cannot be one.
func (r *Resolver) ProviderName() string { return "onepassword" }
