package sdk

import (
	"errors"

	"github.com/execref/execref/protocol"
)

// Exit statuses, from BSD's sysexits so that an operator can tell the class
// of a whole-provider failure from the status alone. The gateway reports
// any non-zero status as "exited with code N"; stderr carries one line with
// the reason.
const (
	ExitOK          = 0  // a response was written, per-id failures included
	ExitFailure     = 1  // a whole-provider failure of no more precise class
	ExitUsage       = 64 // EX_USAGE: unknown flag, bad flag value, unknown command
	ExitBadRequest  = 65 // EX_DATAERR: the request on stdin is unusable
	ExitUnavailable = 69 // EX_UNAVAILABLE: backend unreachable, throttling, or out of time
	ExitInternal    = 70 // EX_SOFTWARE: a bug in the resolver (a panic)
	ExitIO          = 74 // EX_IOERR: the response could not be written
	ExitNoPerm      = 77 // EX_NOPERM: credentials refused for the whole provider
	ExitConfig      = 78 // EX_CONFIG: configuration missing or invalid
)

// exitStatus classifies a whole-provider failure.
func exitStatus(err error) int {
	var p *panicError
	switch {
	case errors.As(err, &p):
		return ExitInternal
	case errors.Is(err, ErrConfig):
		return ExitConfig
	}
	switch protocol.CodeOf(err) {
	case protocol.Unauthenticated, protocol.PermissionDenied:
		return ExitNoPerm
	case protocol.Unavailable, protocol.RateLimited, protocol.Timeout:
		return ExitUnavailable
	}
	return ExitFailure
}
