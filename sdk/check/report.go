package check

import (
	"errors"
	"sync"
)

// Report collects the results of one self-check. Its methods are safe for
// concurrent use; the zero value is ready to use.
//
// Record checks in the order they depend on each other (configuration,
// then reachability, then credentials): the first failure decides the exit
// status, and it should be the one to fix first.
type Report struct {
	mu      sync.Mutex
	entries []Entry
	closed  bool
}

// Entry is one check as a backend recorded it. The SDK turns it into a
// Result: it classifies Err into a code and an exit status, and redacts
// every string, before anything is printed.
type Entry struct {
	Name   string
	Status Status
	Detail string // for ok and warn
	Err    error  // for fail
}

// OK records a check that passed. detail says what was found (an address,
// an account, a key's recipient, never a secret), so that a reader can see
// it is the expected one.
func (r *Report) OK(name, detail string) {
	r.add(Entry{Name: name, Status: StatusOK, Detail: detail})
}

// Warn records something that works but deserves attention, or a check
// that could not be made. Warnings do not fail the check.
func (r *Report) Warn(name, detail string) {
	r.add(Entry{Name: name, Status: StatusWarn, Detail: detail})
}

// Fail records a failed check. err says what is wrong and what to do, and
// wraps its class as a whole-provider error does: sdk.ErrConfig (exit 78),
// protocol.Unauthenticated or protocol.PermissionDenied (77),
// protocol.Unavailable, protocol.RateLimited or protocol.Timeout (69).
func (r *Report) Fail(name string, err error) {
	if err == nil {
		err = errNoReason
	}
	r.add(Entry{Name: name, Status: StatusFail, Err: err})
}

// errNoReason stands in for a nil error passed to Fail: still a failure.
var errNoReason = errors.New("the check failed without giving a reason (a bug in the resolver)")

// Failed reports whether a failure was recorded, so that a backend can
// skip the checks that depend on a failed one.
func (r *Report) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.entries {
		if e.Status == StatusFail {
			return true
		}
	}
	return false
}

// Close stops recording and returns what was recorded, in order. Checks
// recorded later are dropped: a backend still running after the deadline
// cannot change a report already written.
func (r *Report) Close() []Entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	return append([]Entry(nil), r.entries...)
}

func (r *Report) add(e Entry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.closed {
		r.entries = append(r.entries, e)
	}
}
