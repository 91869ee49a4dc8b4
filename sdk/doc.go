// Package sdk is the resolver side of the OpenClaw exec SecretRef protocol:
// a resolver implements Backend and calls Main; the SDK does everything
// else the gateway expects of it (bounded stdin, validation, de-duplication,
// the deadline, one JSON response on stdout, exit codes, redaction, and the
// shared command line).
//
// The host side lives in the host and policy subpackages.
package sdk
