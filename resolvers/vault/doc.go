// Package vault is the backend of openclaw-vault-resolver: it answers
// OpenClaw exec SecretRef ids from HashiCorp Vault's KV secrets engines,
// version 1 and 2, through the official API client.
//
// Ids are MOUNT/PATH[:vN]#FIELD ("kv/openclaw/openai#apiKey"), split at
// the last '#', or PATH/FIELD in the configured mount, the syntax of the
// gateway's bundled Vault resolver ("providers/openai/apiKey" in mount
// "secret"), which has no version syntax. An id is the first form when its
// last segment holds a '#'. Every answer from Vault is mapped back to an
// id only when it is provably that id's item: the mount Vault reports must
// hold the path (and be the configured one for PATH/FIELD), a KV v2 answer
// must carry KV v2's record and the version asked for. The bundled
// resolver's OPENCLAW_VAULT_* settings are honoured (settings.go). See
// docs/resolvers/vault.md.
package vault
