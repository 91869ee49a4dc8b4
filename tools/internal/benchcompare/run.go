package benchcompare

import (
	"context"
	"io"
	"time"
)

// Options are the defaults of a Run and where it reports progress.
type Options struct {
	// Runs is how many runs of each side a pair measures when it does
	// not say (default 10); MinRuns the fewest before MaxTime may stop
	// it (default 3); MaxTime the time after which a pair stops
	// measuring (default 30 s).
	Runs, MinRuns int
	MaxTime       time.Duration
	// Timeout bounds one run of one side (default 2 min): a side that
	// hangs fails its pair rather than the whole benchmark.
	Timeout time.Duration
	// Progress, when set, gets a line per pair as it finishes.
	Progress io.Writer
}

// The defaults of Options' zero fields.
const (
	DefaultRuns    = 10
	DefaultMinRuns = 3
	DefaultMaxTime = 30 * time.Second
	DefaultTimeout = 2 * time.Minute
)

// Run measures one pair: one unmeasured run of each side, then runs in
// the order A B, B A, A B, … until Runs of each or MaxTime. Any run that
// fails (start, exit status, timeout, Check) ends the pair with an error
// naming the side, the process and why, with the end of its stderr.
//
// MaxTime counts from the pair's start, warm-up included, so that it
// bounds what the pair costs; the pair then stops after the first A B or
// B A round that leaves both sides with at least MinRuns (never more than
// Runs). A failed run's error is a *RunError wrapping ErrStart, ErrExit,
// ErrTimeout, ErrOpenPipes, ErrOutputLimit, ErrCheck, or the context's
// error when ctx ended; a pair that cannot run (a Proc without Check, a
// relative command, a side without processes) fails with ErrInvalidPair
// before anything starts.
func Run(ctx context.Context, p Pair, o Options) (Result, error) {
	return runPair(ctx, p, o.withDefaults())
}

// withDefaults fills the zero fields.
func (o Options) withDefaults() Options {
	if o.Runs <= 0 {
		o.Runs = DefaultRuns
	}
	if o.MinRuns <= 0 {
		o.MinRuns = DefaultMinRuns
	}
	if o.MaxTime <= 0 {
		o.MaxTime = DefaultMaxTime
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	return o
}
