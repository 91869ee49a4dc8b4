package benchcompare

import (
	"errors"
	"fmt"
	"strings"
)

// What a run can fail with; a *RunError wraps one of them (or the
// context's error when the caller stopped the benchmark).
var (
	// ErrInvalidPair: the pair cannot be run as given (nothing started).
	ErrInvalidPair = errors.New("invalid pair")
	// ErrStart: the process could not be started.
	ErrStart = errors.New("could not start")
	// ErrExit: the process exited non-zero or was killed by a signal.
	ErrExit = errors.New("failed")
	// ErrTimeout: the side's run took longer than Options.Timeout; its
	// processes were killed.
	ErrTimeout = errors.New("timed out")
	// ErrOpenPipes: the process exited but its stdout or stderr stayed
	// open, held by a process it started.
	ErrOpenPipes = errors.New("left its output open")
	// ErrOutputLimit: stdout grew beyond what the gateway ever accepts.
	ErrOutputLimit = errors.New("wrote too much")
	// ErrCheck: the answer is wrong.
	ErrCheck = errors.New("answered wrong")
)

// A RunError is one failed run of one side of a pair.
type RunError struct {
	Section, Case string
	// Side is the side's Name; Proc the index of the failed process in
	// Side.Procs, of Procs; Command the base name of its command.
	Side        string
	Proc, Procs int
	Command     string
	// Warmup tells a failure of the unmeasured first run.
	Warmup bool
	// Stderr is the end of what the process wrote on stderr (at most
	// stderrTail bytes). Stdout is never kept: it holds secrets.
	Stderr string
	// Err is one of the sentinels above, wrapped with the detail.
	Err error
}

func (e *RunError) Unwrap() error { return e.Err }

func (e *RunError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s / %s: side %q", e.Section, e.Case, e.Side)
	if e.Procs > 1 {
		fmt.Fprintf(&b, ", process %d of %d", e.Proc+1, e.Procs)
	}
	if e.Command != "" {
		fmt.Fprintf(&b, " (%s)", e.Command)
	}
	if e.Warmup {
		b.WriteString(", warm-up run")
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	if s := strings.TrimSpace(e.Stderr); s != "" {
		b.WriteString("; its stderr ends:\n\t")
		b.WriteString(strings.ReplaceAll(s, "\n", "\n\t"))
	}
	return b.String()
}
