package warm_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/redact"
	"github.com/execref/execref/sdk/warm"
)

// These tests give Get real batches: each batch is one sdk.Serve run in
// this process (as one exec run, or one agent call, gets it), and the same
// Value outlives the batches, as a Backend's field does in the agent.

// state is what the tests keep warm.
type state struct{ n int64 }

// backendFunc adapts a function to sdk.Backend.
type backendFunc func(ctx context.Context, b *sdk.Batch) error

func (f backendFunc) Resolve(ctx context.Context, b *sdk.Batch) error { return f(ctx, b) }

// batch runs one batch of the id "a" with --verbose and returns its status
// and stderr.
func batch(t *testing.T, f backendFunc, args ...string) (int, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	req := protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: "p", IDs: []string{"a"}})
	status := sdk.Serve(sdk.Program{Name: "warm-test", Backend: f}, append([]string{"--verbose"}, args...), bytes.NewReader(req), &out, &errOut)
	return status, errOut.String()
}

// getter is a backend whose batches Get v with open and answer "a"; it
// keeps what each Get returned.
type getter struct {
	mu  sync.Mutex
	got []*state
	err error
}

func (g *getter) backend(v *warm.Value[*state], open warm.Opener[*state]) backendFunc {
	return func(ctx context.Context, b *sdk.Batch) error {
		s, err := v.Get(ctx, b, open)
		g.mu.Lock()
		g.got, g.err = append(g.got, s), err
		g.mu.Unlock()
		if err != nil {
			return err
		}
		b.Set("a", fmt.Sprintf("value-of-a-%d", s.n))
		return nil
	}
}

func (g *getter) last() *state {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.got[len(g.got)-1]
}

// opener counts its opens; each opened state is new and expires after
// lifetime (zero: never).
type opener struct {
	opens    atomic.Int64
	lifetime time.Duration
	delay    time.Duration
}

func (o *opener) open(ctx context.Context, b *sdk.Batch) (warm.Held[*state], error) {
	time.Sleep(o.delay)
	h := warm.Held[*state]{Value: &state{n: o.opens.Add(1)}}
	if o.lifetime != 0 {
		h.Expires = time.Now().Add(o.lifetime)
	}
	return h, nil
}

// releases records Release's calls.
type releases struct {
	mu  sync.Mutex
	got []*state
	t   *testing.T
}

func (r *releases) release(ctx context.Context, s *state) {
	if _, ok := ctx.Deadline(); !ok {
		r.t.Error("Release got a context without a deadline")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, s)
}

func (r *releases) list() []*state {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

func mustBatch(t *testing.T, f backendFunc) string {
	t.Helper()
	status, stderr := batch(t, f)
	if status != sdk.ExitOK {
		t.Fatalf("batch exited %d: %s", status, stderr)
	}
	return stderr
}

func TestGetOpensOnceAndReuses(t *testing.T) {
	v := &warm.Value[*state]{Name: "test login"}
	o, g := &opener{}, &getter{}
	be := g.backend(v, o.open)
	if log := mustBatch(t, be); !strings.Contains(log, "test login: opened") {
		t.Errorf("first batch's log: %q", log)
	}
	first := g.last()
	for range 3 {
		if log := mustBatch(t, be); !strings.Contains(log, "test login: reused") {
			t.Errorf("later batch's log: %q", log)
		}
	}
	if n := o.opens.Load(); n != 1 || g.last() != first || !v.Held() {
		t.Fatalf("opens %d, same state %v, held %v: want one open, reused", n, g.last() == first, v.Held())
	}
}

// A token opened in one batch is a secret of every batch that uses it.
func TestGetMarksSecretsInEveryBatch(t *testing.T) {
	const token = "tok-0123456789-secret"
	v := &warm.Value[string]{Name: "test login"}
	be := backendFunc(func(ctx context.Context, b *sdk.Batch) error {
		tok, err := v.Get(ctx, b, func(context.Context, *sdk.Batch) (warm.Held[string], error) {
			return warm.Held[string]{Value: token, Secrets: []string{token}}, nil
		})
		if err != nil {
			return err
		}
		b.Logf("calling the server with %s", tok)
		b.Set("a", "value-of-a")
		return nil
	})
	for i := range 2 {
		log := mustBatch(t, be)
		if strings.Contains(log, token) || !strings.Contains(log, "with "+redact.Placeholder) {
			t.Errorf("batch %d printed the token or no placeholder: %q", i, log)
		}
	}
}

// State is replaced once within a third of its lifetime, and at least ten
// seconds, of its expiry: a lifetime of 10.5 s is reused at once and
// refreshed after half a second.
func TestGetRefreshesBeforeExpiry(t *testing.T) {
	rel := &releases{t: t}
	var refreshes atomic.Int64
	v := &warm.Value[*state]{
		Name:    "test login",
		Release: rel.release,
		Refresh: func(ctx context.Context, b *sdk.Batch, old warm.Held[*state]) (warm.Held[*state], error) {
			refreshes.Add(1)
			return warm.Held[*state]{Value: &state{n: 100 + old.Value.n}, Expires: time.Now().Add(time.Hour)}, nil
		},
	}
	o, g := &opener{lifetime: 10*time.Second + 500*time.Millisecond}, &getter{}
	be := g.backend(v, o.open)
	// Opened after start and before the first batch is over, the state
	// is due 500 ms later.
	start := time.Now()
	mustBatch(t, be)
	opened, first := time.Now(), g.last()
	log := mustBatch(t, be)
	if time.Since(start) < 400*time.Millisecond && (refreshes.Load() != 0 || g.last() != first) {
		t.Fatalf("state far from its expiry was not reused: %q", log)
	}
	time.Sleep(time.Until(opened.Add(550 * time.Millisecond)))
	log = mustBatch(t, be)
	if refreshes.Load() != 1 || o.opens.Load() != 1 || !strings.Contains(log, "test login: refreshed before its expiry") {
		t.Fatalf("refreshes %d, opens %d, log %q: want one refresh", refreshes.Load(), o.opens.Load(), log)
	}
	if g.last().n != 101 || !slices.Equal(rel.list(), []*state{first}) {
		t.Fatalf("got state %d, released %v: want the refreshed state and the old one released", g.last().n, rel.list())
	}
	mustBatch(t, be)
	if refreshes.Load() != 1 || g.last().n != 101 {
		t.Errorf("the refreshed state (an hour to live) was not reused")
	}
}

// A Refresh that renews the same state in place (a renewable token) does
// not release it.
func TestRefreshKeepingTheStateDoesNotReleaseIt(t *testing.T) {
	rel := &releases{t: t}
	v := &warm.Value[*state]{
		Name:    "test login",
		Release: rel.release,
		Refresh: func(ctx context.Context, b *sdk.Batch, old warm.Held[*state]) (warm.Held[*state], error) {
			return warm.Held[*state]{Value: old.Value, Expires: time.Now().Add(time.Hour)}, nil
		},
	}
	o, g := &opener{lifetime: time.Second}, &getter{}
	be := g.backend(v, o.open)
	mustBatch(t, be)
	first := g.last()
	mustBatch(t, be) // due at once: a second to live is within the margin
	if g.last() != first || o.opens.Load() != 1 || len(rel.list()) != 0 {
		t.Fatalf("same state %v, opens %d, released %v", g.last() == first, o.opens.Load(), rel.list())
	}
}

func TestRefreshFailureOpensAnew(t *testing.T) {
	rel := &releases{t: t}
	v := &warm.Value[*state]{
		Name:    "test login",
		Release: rel.release,
		Refresh: func(context.Context, *sdk.Batch, warm.Held[*state]) (warm.Held[*state], error) {
			return warm.Held[*state]{}, errors.New("renewal refused")
		},
	}
	o, g := &opener{lifetime: time.Second}, &getter{}
	be := g.backend(v, o.open)
	mustBatch(t, be)
	first := g.last()
	log := mustBatch(t, be)
	if o.opens.Load() != 2 || g.last() == first || !strings.Contains(log, "refresh failed (renewal refused); opening anew") {
		t.Fatalf("opens %d, log %q: want a failed refresh, then an open", o.opens.Load(), log)
	}
	if !slices.Equal(rel.list(), []*state{first}) {
		t.Errorf("released %v, want the old state", rel.list())
	}
}

// Without Refresh, state near its expiry is released and opened anew.
func TestDueStateWithoutRefreshIsOpenedAnew(t *testing.T) {
	rel := &releases{t: t}
	v := &warm.Value[*state]{Name: "test login", Release: rel.release}
	o, g := &opener{lifetime: time.Second}, &getter{}
	be := g.backend(v, o.open)
	mustBatch(t, be)
	first := g.last()
	mustBatch(t, be)
	if o.opens.Load() != 2 || g.last() == first || !slices.Equal(rel.list(), []*state{first}) {
		t.Fatalf("opens %d, released %v: want the due state released and a new one", o.opens.Load(), rel.list())
	}
}

func TestOpenFailureIsTheBatchsAndNothingIsHeld(t *testing.T) {
	v := &warm.Value[*state]{Name: "test login"}
	refused := fmt.Errorf("%w: login refused", protocol.Unauthenticated)
	var calls atomic.Int64
	g := &getter{}
	be := g.backend(v, func(context.Context, *sdk.Batch) (warm.Held[*state], error) {
		if calls.Add(1) == 1 {
			return warm.Held[*state]{}, refused
		}
		return warm.Held[*state]{Value: &state{n: 7}}, nil
	})
	if status, _ := batch(t, be); status != sdk.ExitNoPerm || !errors.Is(g.err, refused) || v.Held() {
		t.Fatalf("status %d, err %v, held %v: want the opener's error and nothing held", status, g.err, v.Held())
	}
	mustBatch(t, be)
	if calls.Load() != 2 || g.last().n != 7 {
		t.Fatalf("opener calls %d: the next Get must open again", calls.Load())
	}
}

func TestForgetDropsOnlyTheSameState(t *testing.T) {
	rel := &releases{t: t}
	v := &warm.Value[*state]{Name: "test login", Release: rel.release}
	o, g := &opener{}, &getter{}
	be := g.backend(v, o.open)
	mustBatch(t, be)
	first := g.last()
	v.Forget(&state{n: first.n}) // another state, however alike
	if !v.Held() || len(rel.list()) != 0 {
		t.Fatalf("Forget of another state dropped the held one (released %v)", rel.list())
	}
	v.Forget(first)
	if v.Held() || !slices.Equal(rel.list(), []*state{first}) {
		t.Fatalf("Forget of the held state: held %v, released %v", v.Held(), rel.list())
	}
	mustBatch(t, be)
	second := g.last()
	if o.opens.Load() != 2 || second == first {
		t.Fatalf("after Forget the next Get must open: opens %d", o.opens.Load())
	}
	v.Forget(first) // a batch late with its news: the newer state stays
	if !v.Held() || len(rel.list()) != 1 {
		t.Fatalf("a late Forget dropped the newer state (released %v)", rel.list())
	}
}

func TestCloseReleasesAndGetOpensAnew(t *testing.T) {
	rel := &releases{t: t}
	v := &warm.Value[*state]{Name: "test login", Release: rel.release}
	v.Close() // nothing held: nothing released
	if len(rel.list()) != 0 {
		t.Fatalf("Close with nothing held released %v", rel.list())
	}
	o, g := &opener{}, &getter{}
	be := g.backend(v, o.open)
	mustBatch(t, be)
	first := g.last()
	v.Close()
	if v.Held() || !slices.Equal(rel.list(), []*state{first}) {
		t.Fatalf("Close: held %v, released %v", v.Held(), rel.list())
	}
	mustBatch(t, be)
	if o.opens.Load() != 2 || g.last() == first {
		t.Fatalf("Get after Close must open anew: opens %d", o.opens.Load())
	}
}

// Concurrent batches (the agent's) share one open, and the state.
func TestConcurrentGetOpensOnce(t *testing.T) {
	v := &warm.Value[*state]{Name: "test login"}
	o, g := &opener{delay: 50 * time.Millisecond}, &getter{}
	be := g.backend(v, o.open)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if status, log := batch(t, be); status != sdk.ExitOK {
				t.Errorf("batch exited %d: %s", status, log)
			}
		})
	}
	wg.Wait()
	if n := o.opens.Load(); n != 1 {
		t.Fatalf("%d opens for 8 concurrent batches, want 1", n)
	}
	for _, s := range g.got {
		if s != g.got[0] {
			t.Fatal("concurrent batches got different states")
		}
	}
}

// A batch waiting for another's open gives up when its own context ends,
// with the context's error, and the open goes on for the other.
func TestGetWaitingHonoursContext(t *testing.T) {
	v := &warm.Value[*state]{Name: "test login"}
	started, unblock := make(chan struct{}), make(chan struct{})
	slow := func(context.Context, *sdk.Batch) (warm.Held[*state], error) {
		close(started)
		<-unblock
		return warm.Held[*state]{Value: &state{n: 1}}, nil
	}
	first := &getter{}
	firstDone := make(chan int, 1)
	go func() {
		status, _ := batch(t, first.backend(v, slow), "--timeout", "10s")
		firstDone <- status
	}()
	<-started
	waiterErr := make(chan error, 1)
	waiter := backendFunc(func(ctx context.Context, b *sdk.Batch) error {
		_, err := v.Get(ctx, b, slow)
		waiterErr <- err
		return err
	})
	start := time.Now()
	batch(t, waiter, "--timeout", "200ms")
	select {
	case err := <-waiterErr:
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "waiting for test login") {
			t.Errorf("the waiting Get returned %v, want the deadline, naming the state", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("the waiting Get returned after %s", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting Get did not return when its context ended")
	}
	close(unblock)
	if status := <-firstDone; status != sdk.ExitOK || first.last().n != 1 {
		t.Fatalf("the opening batch exited %d", status)
	}
}
