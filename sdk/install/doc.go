// Package install puts a copy of a resolver binary where the gateway will
// run it, and prints the secrets.providers block that names it: the
// `install [--dir DIR] [--name NAME]` and `config` commands every resolver
// built on the SDK has.
//
// The copy is a regular, user-owned 0755 file in a directory that only its
// owner can write (created 0700 when missing; by default bin/ under the
// OpenClaw state directory, found as the gateway finds it). It is written
// to a temporary file in that directory, synced, and renamed over the old
// copy, so a gateway starting the resolver meanwhile runs either the old
// binary or the new one, never half of one. The result is verified with
// the gateway's own command-path policy (package policy) before the block
// is printed.
package install
