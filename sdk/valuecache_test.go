package sdk

import (
	"context"
	"fmt"
	"io"
	"maps"
	"sync/atomic"
	"testing"
	"time"

	"github.com/execref/execref/protocol"
)

func TestValueCacheKeepsValuesForTheTTLPerProvider(t *testing.T) {
	c := newValueCache(100 * time.Millisecond)
	c.put("p", map[string]string{"a": "value-of-a", "b": "value-of-b"})
	if got := c.get("p", []string{"a", "b", "c"}); !maps.Equal(got, map[string]string{"a": "value-of-a", "b": "value-of-b"}) {
		t.Fatalf("hits %q", got)
	}
	if got := c.get("q", []string{"a"}); len(got) != 0 {
		t.Fatalf("another provider's alias got %q", got)
	}
	time.Sleep(120 * time.Millisecond)
	if got := c.get("p", []string{"a", "b"}); len(got) != 0 {
		t.Fatalf("expired values answered: %q", got)
	}
	if len(c.m) != 0 {
		t.Errorf("expired entries kept: %d", len(c.m))
	}
}

func TestValueCacheIsBounded(t *testing.T) {
	c := newValueCache(time.Hour)
	batch := func(from int) map[string]string {
		m := map[string]string{}
		for i := from; i < from+1000; i++ {
			m[fmt.Sprintf("id-%d", i)] = fmt.Sprintf("value-of-id-%d", i)
		}
		return m
	}
	for i := 0; i < 10; i++ {
		c.put("p", batch(i*1000))
		if len(c.m) > maxCachedValues {
			t.Fatalf("%d entries, more than %d", len(c.m), maxCachedValues)
		}
	}
	// What is kept is right: every hit is its own id's value.
	for id, v := range c.get("p", []string{"id-9000", "id-9999", "id-0"}) {
		if v != "value-of-"+id {
			t.Fatalf("%s answered %q", id, v)
		}
	}
}

// The agent's server answers cached ids from memory and asks the backend
// only for the others; failures are never kept.
func TestResolverServerCachesValuesNotFailures(t *testing.T) {
	var calls atomic.Int32
	asked := make(chan []string, 8)
	be := &backendFunc{fn: func(ctx context.Context, b *Batch) error {
		calls.Add(1)
		asked <- b.IDs
		for _, id := range b.IDs {
			if id == "missing" {
				b.Fail(id, fmt.Errorf("%w: no %s", protocol.NotFound, id))
			} else {
				b.Set(id, fmt.Sprintf("value-of-%s-%d", id, calls.Load()))
			}
		}
		return nil
	}}
	opts, _, err := parseArgs(Program{Name: "cache-test", Backend: be}, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := newResolverServer(Program{Name: "cache-test", Backend: be}, opts, io.Discard)
	srv.cache = newValueCache(time.Hour)
	call := func(ids ...string) *protocol.Response {
		t.Helper()
		out := srv.Resolve(context.Background(), protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: "p", IDs: ids}))
		if out.Response == nil {
			t.Fatalf("Resolve: %+v", out.Failure)
		}
		return out.Response
	}
	call("a", "missing")
	<-asked
	out := call("a", "missing", "b")
	if got := <-asked; len(got) != 2 || got[0] != "missing" || got[1] != "b" {
		t.Fatalf("second batch asked the backend for %q, want the failed and the new id", got)
	}
	if out.Values["a"] != "value-of-a-1" || out.Values["b"] != "value-of-b-2" {
		t.Fatalf("values %q", out.Values)
	}
	if out.Errors["missing"].Code != protocol.NotFound {
		t.Fatalf("errors %v", out.Errors)
	}
	call("a", "b")
	if calls.Load() != 2 {
		t.Fatalf("a batch of cached ids called the backend (%d calls)", calls.Load())
	}
}
