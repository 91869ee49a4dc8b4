package protocol

import (
	"context"
	"errors"
	"strings"
)

// Code classifies a per-id failure. The gateway shows only NotFound and
// AmbiguousDuplicateKey to its users and hides every other code and every
// message, so a resolver sends the most precise code it has and a message
// for other hosts and for its own diagnostics.
//
// Code is itself an error, so a backend can wrap one with context:
//
//	fmt.Errorf("%w: %s has no field %q", protocol.NotFound, path, field)
//
// and anyone can test it with errors.Is(err, protocol.NotFound).
type Code string

const (
	// NotFound: the id is well formed but nothing exists at it: no such
	// secret, file, key, field or version, or the version was deleted.
	NotFound Code = "NOT_FOUND"
	// AmbiguousDuplicateKey: the id matches more than one value, e.g. two
	// items with the same name, and the resolver refuses to guess.
	AmbiguousDuplicateKey Code = "AMBIGUOUS_DUPLICATE_KEY"
	// InvalidID: the id breaks the gateway's grammar or the resolver's own
	// id syntax; the backend was not asked.
	InvalidID Code = "INVALID_ID"
	// InvalidValue: something exists at the id but cannot be returned as a
	// secret string: a map or list, binary data, invalid UTF-8, an empty
	// value, or the gateway's redaction sentinel.
	InvalidValue Code = "INVALID_VALUE"
	// PermissionDenied: the backend knows who we are and refuses this id.
	PermissionDenied Code = "PERMISSION_DENIED"
	// Unauthenticated: credentials are missing, invalid or expired.
	Unauthenticated Code = "UNAUTHENTICATED"
	// Unavailable: the backend could not be reached or kept failing after
	// retries within the deadline.
	Unavailable Code = "UNAVAILABLE"
	// RateLimited: the backend kept throttling after retries within the
	// deadline.
	RateLimited Code = "RATE_LIMITED"
	// Timeout: the resolver's deadline passed before this id was resolved.
	Timeout Code = "TIMEOUT"
	// Internal: a bug in the resolver, such as a panic or an id the backend
	// forgot to answer.
	Internal Code = "INTERNAL"
)

// Codes lists every code this package defines, in documentation order.
var Codes = []Code{NotFound, AmbiguousDuplicateKey, InvalidID, InvalidValue,
	PermissionDenied, Unauthenticated, Unavailable, RateLimited, Timeout, Internal}

// Known reports whether c is one of Codes. Hosts must still accept unknown
// codes from other resolvers.
func (c Code) Known() bool {
	for _, k := range Codes {
		if c == k {
			return true
		}
	}
	return false
}

// Error makes a Code usable as a sentinel error. It reads as a phrase
// ("not found") so wrapped messages read naturally.
func (c Code) Error() string {
	return strings.ToLower(strings.ReplaceAll(string(c), "_", " "))
}

// CodeOf returns the code an error carries: the Code it wraps, TIMEOUT for
// an expired context, and INTERNAL for anything else. It returns "" for nil.
func CodeOf(err error) Code {
	var c Code
	switch {
	case err == nil:
		return ""
	case errors.As(err, &c):
		return c
	case errors.Is(err, context.DeadlineExceeded):
		return Timeout
	default:
		return Internal
	}
}
