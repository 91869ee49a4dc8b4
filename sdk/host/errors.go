package host

import (
	"errors"
	"strconv"
)

// Sentinels, one per failure the gateway distinguishes. Every error this
// package returns for a run or a response is a *ProviderError wrapping
// one of them (policy failures are *policy.Error, passed through).
var (
	ErrInvalidConfig   = errors.New("invalid exec provider config")
	ErrStart           = errors.New("exec provider could not be started")
	ErrTimeout         = errors.New("exec provider timed out")
	ErrNoOutputTimeout = errors.New("exec provider produced no output in time")
	ErrOutputLimit     = errors.New("exec provider output exceeded maxOutputBytes")
	ErrExit            = errors.New("exec provider exited unsuccessfully")
	ErrEmptyStdout     = errors.New("exec provider returned empty stdout")
	ErrInvalidJSON     = errors.New("exec provider returned invalid JSON")
	ErrNotObject       = errors.New("exec provider response is not an object")
	ErrProtocolVersion = errors.New("exec provider protocolVersion is not 1")
	ErrMissingValues   = errors.New("exec provider response has no values object")
	ErrTooManyRefs     = errors.New("exec provider exceeded maxRefsPerProvider")
	ErrBatchTooLarge   = errors.New("exec provider request exceeded maxBatchBytes")
	// Per-id failures.
	ErrMissingID     = errors.New("exec provider response is missing an id")
	ErrRedactedValue = errors.New("value is the gateway's redaction placeholder")
	ErrNotString     = errors.New("value is not a non-empty string")
)

// ProviderError is a failure of one exec provider, or of one id of it.
// Error gives the gateway's sentence for it; Unwrap gives the sentinel.
type ProviderError struct {
	// Provider is the provider alias.
	Provider string
	// Err is one of the sentinels above, or the context's error when the
	// caller's context stopped the run.
	Err error
	// ExitCode is the resolver's exit status (ErrExit), -1 when a signal
	// ended it.
	ExitCode int
	// Signal names the signal that ended the resolver, e.g. "SIGKILL".
	Signal string
	// Limit is the limit that was exceeded: milliseconds for the timeouts,
	// bytes for ErrOutputLimit and ErrBatchTooLarge, a count for
	// ErrTooManyRefs.
	Limit int
	// ID is the id of a per-id failure.
	ID string
	// Cause is the system error behind ErrStart. It is not unwrapped.
	Cause error
}

func (e *ProviderError) Unwrap() error { return e.Err }

func (e *ProviderError) Error() string {
	p := `Exec provider "` + e.Provider + `"`
	n := strconv.Itoa(e.Limit)
	switch e.Err {
	case ErrTimeout:
		return p + " timed out after " + n + "ms."
	case ErrNoOutputTimeout:
		return p + " produced no output for " + n + "ms."
	case ErrOutputLimit:
		// The gateway names no provider in this one.
		return "Exec provider output exceeded maxOutputBytes (" + n + ")."
	case ErrExit:
		return p + " exited with code " + e.exitCode() + "."
	case ErrEmptyStdout:
		return p + " returned empty stdout."
	case ErrInvalidJSON:
		return p + " returned invalid JSON."
	case ErrNotObject:
		return p + " response must be an object."
	case ErrProtocolVersion:
		return p + " protocolVersion must be 1."
	case ErrMissingValues:
		return p + ` response missing "values".`
	case ErrTooManyRefs:
		return p + " exceeded maxRefsPerProvider (" + n + ")."
	case ErrBatchTooLarge:
		return p + " request exceeded maxBatchBytes (" + n + ")."
	case ErrMissingID:
		return p + ` response missing id "` + e.ID + `".`
	case ErrRedactedValue:
		return `Secret reference "` + e.ref() + `" resolves to a redaction placeholder`
	case ErrNotString:
		return `Secret reference "` + e.ref() + `" resolved to a non-string or empty value.`
	case ErrStart:
		return p + " could not be started: " + causeText(e.Cause) + "."
	}
	return p + " was stopped: " + causeText(e.Err) + "."
}

// exitCode renders the status as Node reports it: a number, or null with
// the signal when a signal ended the process.
func (e *ProviderError) exitCode() string {
	if e.Signal != "" {
		return "null (signal " + e.Signal + ")"
	}
	return strconv.Itoa(e.ExitCode)
}

// ref is the gateway's notation for a reference, source:provider:id.
func (e *ProviderError) ref() string { return "exec:" + e.Provider + ":" + e.ID }

func causeText(err error) string {
	if err == nil {
		return "unknown error"
	}
	return err.Error()
}

// refError is an id the host refuses before anything runs. Its text is
// the gateway's; it unwraps to protocol.InvalidID.
type refError struct {
	text string
	err  error
}

func (e *refError) Error() string { return e.text }
func (e *refError) Unwrap() error { return e.err }
