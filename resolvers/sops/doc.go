// Package sops is the backend of openclaw-sops-resolver: it answers
// OpenClaw exec SecretRef ids from sops-encrypted files, decrypted in
// memory with the sops library (no sops binary, no temporary files).
//
// An id is [ALIAS:]PATH. ALIAS names a file given with --file ALIAS=PATH;
// without it the default file (--file PATH) is meant. PATH walks the
// decrypted document by keys and list indices separated by "/":
// "openai/apiKey", "servers/0/password", "prod:db.primary/url". An empty
// PATH selects the whole document.
//
// An id gets a value only when it names exactly one item: keys match byte
// for byte, list indices are canonical decimals, and a key repeated in its
// map, or an aliased id that also reads as a key of the default file, is
// AMBIGUOUS_DUPLICATE_KEY rather than a guess. See docs/resolvers/sops.md.
package sops
