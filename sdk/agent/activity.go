package agent

import (
	"context"
	"sync"
	"time"
)

// maxCallTime bounds every call (the exec side's deadline is seconds), so
// that shutdown never waits for ever.
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

// run answers one call with resolve, within ctx's deadline even from a
// backend that ignores its context: such a backend's work is left to
// finish on its own rather than hold the caller or a stopping agent.
func (a *activity) run(ctx context.Context, resolve func(context.Context) Reply) Reply {
	deadline, _ := ctx.Deadline()
	a.begin(deadline)
	defer a.end()
	answered := make(chan Reply, 1)
	go func() { answered <- resolve(ctx) }()
	select {
	case r := <-answered:
		return r
	case <-ctx.Done():
		return Reply{Timeout: "the batch was not answered before its deadline"}
	}
}
