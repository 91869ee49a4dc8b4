package transportbench

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Run benchmarks batch through the three transports, as the
// sub-benchmarks cold, agent and plugin of b. The agent and go-plugin
// ones start the process they keep and resolve the batch once
// unmeasured (a kept process's first batch opens what it keeps warm: a
// login); each then resolves the batch in b.Loop, checking every answer,
// and for the agent that the agent gave it. Reported per batch besides
// ns/op: cpu-ms/op, the CPU time of the resolver processes (the exec
// runs, and the kept process where /proc shows it); kept-cpu-ms/op, the
// kept process's share of it (for the agent, the rest is the exec
// side's); and every counter's growth.
func Run(b *testing.B, s Setup, batch Batch, counters ...Counter) {
	b.Helper()
	if err := batch.Validate(); err != nil {
		b.Fatal(err)
	}
	// A cold run has nothing to warm: no unmeasured batch (for a
	// resolver that takes seconds to start, it would be one more).
	b.Run("cold", func(b *testing.B) { measure(b, Cold(s), batch, counters, false, nil) })
	b.Run("agent", func(b *testing.B) {
		a, err := StartAgent(s)
		if err != nil {
			b.Fatal(err)
		}
		measure(b, a, batch, counters, true, func() error { return agentRoute(a, batch) })
	})
	b.Run("plugin", func(b *testing.B) { measure(b, Plugin(s), batch, counters, true, nil) })
}

// errNotAnswered: an agent batch the exec side resolved cold.
var errNotAnswered = errors.New("the agent did not answer the batch")

// agentRoute is nil when the agent took part in the last batch as it
// must: it answered, or, for a batch that must fail, it failed the batch
// with the same status (and the exec side, which then resolves cold,
// failed it too).
func agentRoute(a *Agent, batch Batch) error {
	if batch.WantExit == 0 {
		if !a.Answered() {
			return fmt.Errorf("%w (exec side: %q); the agent's log:\n%s", errNotAnswered, a.Route(), a.Log())
		}
		return nil
	}
	if want := fmt.Sprintf("failed the batch (exit status %d)", batch.WantExit); !strings.Contains(a.Route(), want) {
		return fmt.Errorf("want the agent to have %s, exec side: %q; the agent's log:\n%s", want, a.Route(), a.Log())
	}
	return nil
}

// sample is what is measured before and after the loop.
type sample struct {
	children, live     time.Duration
	childrenOK, liveOK bool
	counts             []int
}

func take(t Transport, counters []Counter) sample {
	var s sample
	s.children, s.childrenOK = childrenCPU()
	s.live, s.liveOK = t.LiveCPU()
	for _, c := range counters {
		s.counts = append(s.counts, c.Count())
	}
	return s
}

// measure resolves batch through t in b.Loop, after one unmeasured batch
// when warmUp is set; route, when set, checks how each batch went.
func measure(b *testing.B, t Transport, batch Batch, counters []Counter, warmUp bool, route func() error) {
	defer func() {
		if err := t.Close(); err != nil {
			b.Error(err)
		}
	}()
	ctx := context.Background()
	one := func() {
		res, err := t.Resolve(ctx, batch.IDs)
		if err := batch.Check(res, err); err != nil {
			b.Fatal(err)
		}
		if route != nil {
			if err := route(); err != nil {
				b.Fatal(err)
			}
		}
	}
	if warmUp {
		one()
	}
	before := take(t, counters)
	for b.Loop() {
		one()
	}
	after := take(t, counters)
	n := float64(b.N)
	perOp := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) / n }
	live := after.live - before.live
	if before.childrenOK && after.childrenOK && before.liveOK && after.liveOK {
		b.ReportMetric(perOp(after.children-before.children+live), "cpu-ms/op")
	}
	if _, isCold := t.(*cold); !isCold && before.liveOK && after.liveOK {
		b.ReportMetric(perOp(live), "kept-cpu-ms/op")
	}
	for i, c := range counters {
		b.ReportMetric(float64(after.counts[i]-before.counts[i])/n, c.Unit)
	}
}
