package onepassword

import (
	"context"
	"time"
)

// retryPolicy retries a call that 1Password rate-limited, as long as the
// wait and another call fit in the deadline; any other error is final.
type retryPolicy struct {
	waits []time.Duration // before the 2nd, 3rd, … try
	room  time.Duration   // time a call needs after the wait
}

// defaultRetry tries up to five times: a batch is one call, so a few
// retries cost 1Password little, and the deadline decides the rest.
var defaultRetry = retryPolicy{
	waits: []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second},
	room:  500 * time.Millisecond,
}

// do runs call until it succeeds, fails otherwise than by rate limiting,
// or no retry fits; it returns the last error, as a *rateLimitError that
// counts the tries when throttling is what ended it.
func (p retryPolicy) do(ctx context.Context, call func() error) error {
	for try := 1; ; try++ {
		err := call()
		if err == nil || !rateLimited(err) {
			return err
		}
		if try > len(p.waits) || !p.fits(ctx, p.waits[try-1]) {
			return &rateLimitError{tries: try, err: err}
		}
		t := time.NewTimer(p.waits[try-1])
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return &rateLimitError{tries: try, err: err}
		}
	}
}

// fits reports whether waiting d still leaves a call its room before the
// deadline.
func (p retryPolicy) fits(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) > d+p.room
}

// rateLimitError is throttling that outlasted the retries.
type rateLimitError struct {
	tries int
	err   error
}

func (e *rateLimitError) Error() string { return e.err.Error() }
func (e *rateLimitError) Unwrap() error { return e.err }
