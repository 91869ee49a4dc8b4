// Package policy checks files the way the OpenClaw gateway checks an exec
// provider's command before it runs it, and applies the same rules to the
// key and token files that resolvers read.
//
// The gateway refuses a command that is not an absolute path, does not
// exist, is a directory or a symlink, lies outside the provider's
// trustedDirs, is group- or world-writable, or is owned by another uid. A
// host that wants to reproduce the gateway, and a resolver that wants to
// tell its user in advance why the gateway will refuse it, both need those
// rules with the gateway's exact messages: CheckCommand gives them.
//
// A resolver's own secrets (an age identity, a token file, a service
// account JWT) deserve the same care, with stricter permissions: nobody but
// the owner may read them. CheckSecretFile gives that. Nothing in this
// package ever opens a file: the checks use lstat/stat only, so a check
// cannot leak or consume a secret.
package policy
