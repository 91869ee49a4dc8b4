// Package vault is the backend of openclaw-vault-resolver: it answers
// OpenClaw exec SecretRef ids from HashiCorp Vault's KV secrets engines,
// version 1 and 2, through the official API client.
//
// Ids are MOUNT/PATH#FIELD ("kv/openclaw/openai#apiKey"), or PATH/FIELD
// under --mount, the syntax of the gateway's documented Vault resolver
// ("providers/openai/apiKey" in mount "secret"). A KV v2 version is pinned
// with a ":vN" suffix on the path. See docs/resolvers/vault.md.
package vault
