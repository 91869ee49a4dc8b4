//go:build linux || darwin || freebsd

package agent_test

import (
	"errors"
	"testing"
	"time"

	"github.com/execref/execref/sdk/agent"
)

func TestIdleTimeoutEndsAgent(t *testing.T) {
	const idle = 300 * time.Millisecond
	r := serve(t, agent.Options{IdleTimeout: idle, MaxLifetime: time.Hour})
	// Calls keep it alive past its idle timeout…
	var lastStart time.Time
	for i := 0; i < 4; i++ {
		lastStart = time.Now()
		if _, err := forward(r.socket, 5*time.Second, request("sleep:100ms")); err != nil {
			t.Fatalf("Forward %d: %v", i, err)
		}
	}
	stopped := r.wait(t, 5*time.Second)
	// …and it stops once it had none for idle: the last call ended at
	// least 100ms after it started.
	if quiet := stopped.Sub(lastStart) - 100*time.Millisecond; quiet < idle {
		t.Errorf("stopped %s after the last call, before its %s idle timeout", quiet, idle)
	}
	r.logs.waitFor(t, "stopping: idle for 300ms")
	waitGone(t, r.socket)
}

func TestMaxLifetimeFinishesCallsInFlight(t *testing.T) {
	r := serve(t, agent.Options{IdleTimeout: time.Hour, MaxLifetime: 300 * time.Millisecond})
	resp, err := forward(r.socket, 5*time.Second, request("sleep:1s"))
	if err != nil {
		t.Fatalf("call in flight at the end of the lifetime: %v", err)
	}
	if value(resp, "sleep:1s") != "value of sleep:1s" {
		t.Errorf("response %v", resp)
	}
	r.logs.waitFor(t, "stopping: maximum lifetime 300ms reached")
	r.wait(t, 5*time.Second)
	waitGone(t, r.socket)
	if _, err := forward(r.socket, time.Second, request("a")); !errors.Is(err, agent.ErrNoAgent) {
		t.Errorf("Forward after the lifetime: %v, want ErrNoAgent", err)
	}
}

func TestMaxLifetimeCutsCallsPastTheirDeadline(t *testing.T) {
	r := serve(t, agent.Options{IdleTimeout: time.Hour, MaxLifetime: 200 * time.Millisecond})
	start := time.Now()
	_, err := forward(r.socket, 700*time.Millisecond, request("hang"))
	if !errors.Is(err, agent.ErrTimeout) {
		t.Errorf("Forward to a hung backend: %v, want ErrTimeout", err)
	}
	stopped := r.wait(t, 5*time.Second)
	if took := stopped.Sub(start); took > 2*time.Second {
		t.Errorf("the agent took %s to stop with a call hung past its 700ms deadline", took)
	}
}
