// Package onepassword is the backend of openclaw-1password-resolver: it
// answers OpenClaw exec SecretRef ids ("Private/OpenAI/api key" written
// "vault/item/field", or the bundled resolver's "opb64:" form) from
// 1Password, a whole batch at a time, through a service account (the
// 1Password SDK), a Connect server, or the op CLI. See
// docs/resolvers/1password.md.
package onepassword
