// Package protocol is the wire contract of the OpenClaw exec SecretRef
// protocol, version 1: the request a host writes on a resolver's stdin, the
// response the resolver writes on stdout, the id and provider grammar the
// gateway enforces, and the error codes a resolver reports per id.
//
// It imports nothing outside the standard library so that any host or
// resolver, ours or not, can depend on it without pulling in a backend.
package protocol
