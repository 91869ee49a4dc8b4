// Package check is the self-check every resolver built on the SDK answers:
// `COMMAND [provider args...] check` asks the resolver whether it could
// work, without fetching a value, so that a doctor can tell a wrong token
// from an unreachable server before any secret is read.
//
// A backend that can check itself implements sdk.Checker and records what
// it verified in a Report: OK, Warn, or Fail with an error that carries its
// class the way a whole-provider failure does (sdk.ErrConfig, or a
// protocol.Code such as Unauthenticated or Unavailable). The SDK runs the
// check under --timeout, redacts every detail, writes one Output object as
// JSON on stdout and a summary on stderr, and exits with the status of the
// first failed check (see docs/protocol.md, Exit status).
//
// A host reads the answer back with Decode, into the same Output type.
package check
