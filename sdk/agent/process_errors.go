package agent

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// StartProcess's, StartCommand's and Process.Stop's errors, one sentinel
// each; the error returned is a *ProcessError wrapping one of them.
var (
	// ErrProcessStart: the process could not be started (no such
	// command, not executable, no directory for the socket).
	ErrProcessStart = errors.New("the agent could not be started")
	// ErrExitedEarly: the process exited before it listened (bad
	// flags, a socket another agent serves, a configuration it refuses).
	ErrExitedEarly = errors.New("the agent exited before it listened")
	// ErrNotListening: the socket did not accept before the context
	// ended; the process was killed.
	ErrNotListening = errors.New("the agent did not listen in time")
	// ErrExitStatus: the process ended with a status other than 0.
	ErrExitStatus = errors.New("the agent did not exit with status 0")
	// ErrStopTimeout: the process still ran when Stop's context ended
	// after SIGTERM; it was killed.
	ErrStopTimeout = errors.New("the agent did not stop in time after SIGTERM")
)

// ProcessError is what went wrong with an agent's process, with what the
// process said.
type ProcessError struct {
	// Err is one of the sentinels above.
	Err error
	// Cause is the underlying error (exec's, the context's), or nil.
	Cause error
	// Program is the command's base name; Socket the agent's socket.
	Program, Socket string
	// State is how the process ended, or nil when it had not (it has
	// been killed since).
	State *os.ProcessState
	// Stderr is the end of what the process wrote on stderr (an SDK
	// agent's log, redacted by the SDK).
	Stderr string
}

func (e *ProcessError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v (%s, socket %s)", e.Err, e.Program, e.Socket)
	if e.Cause != nil {
		fmt.Fprintf(&b, ": %v", e.Cause)
	}
	if e.State != nil {
		fmt.Fprintf(&b, ": %s", e.State) // "exit status 64", "signal: killed"
	}
	if said := strings.TrimSpace(e.Stderr); said != "" {
		fmt.Fprintf(&b, "; its stderr ends:\n%s", said)
	}
	return b.String()
}

func (e *ProcessError) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Cause}
}

// ExitCode is the process's exit status, or -1 when it had not exited or
// a signal ended it.
func (e *ProcessError) ExitCode() int {
	if e.State == nil {
		return -1
	}
	return e.State.ExitCode()
}
