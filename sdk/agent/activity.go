package agent

import (
	"context"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// maxCallTime bounds a call that comes without a deadline (the exec side
// always sets one), so that shutdown never waits for ever.
const maxCallTime = time.Minute

// activity counts the calls in flight: its timer fires after idle with no
// call running, and it knows the latest deadline of the calls started, up
// to which a stopping agent lets them finish.
type activity struct {
	idle  time.Duration
	timer *time.Timer

	mu       sync.Mutex
	inFlight int
	latest   time.Time
}

func newActivity(idle time.Duration) *activity {
	return &activity{idle: idle, timer: time.NewTimer(idle)}
}

// idled fires when the agent has been idle for a.idle.
func (a *activity) idled() <-chan time.Time { return a.timer.C }

func (a *activity) begin(deadline time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.inFlight++
	a.timer.Stop()
	if deadline.After(a.latest) {
		a.latest = deadline
	}
}

func (a *activity) end() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.inFlight--
	if a.inFlight == 0 {
		a.timer.Reset(a.idle)
	}
}

// latestDeadline is the latest deadline of any call started so far.
func (a *activity) latestDeadline() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.latest
}

func (a *activity) intercept(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, maxCallTime)
		defer cancel()
	}
	deadline, _ := ctx.Deadline()
	a.begin(deadline)
	defer a.end()
	// The caller gets its answer, or DEADLINE_EXCEEDED, by the deadline
	// even from a backend that ignores its context; such a backend's work
	// is left to finish on its own rather than hold the agent (a graceful
	// stop waits for every handler).
	type answer struct {
		resp any
		err  error
	}
	answered := make(chan answer, 1)
	go func() {
		resp, err := handler(ctx, req)
		answered <- answer{resp, err}
	}()
	select {
	case a := <-answered:
		return a.resp, a.err
	case <-ctx.Done():
		return nil, status.FromContextError(ctx.Err()).Err()
	}
}
