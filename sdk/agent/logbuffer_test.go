package agent_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/execref/execref/sdk/agent"
)

// Concurrent writers lose nothing; a bounded buffer keeps the last Max
// bytes, in order.
func TestLogBuffer(t *testing.T) {
	var all agent.LogBuffer
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				all.Write([]byte("line\n"))
			}
		})
	}
	wg.Wait()
	if n := strings.Count(all.String(), "line\n"); n != 800 || len(all.String()) != 800*5 {
		t.Errorf("%d lines in %d bytes, want 800 in 4000", n, len(all.String()))
	}

	bounded := agent.LogBuffer{Max: 8}
	for _, s := range []string{"first ", "second ", "third"} {
		if n, err := bounded.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if got := bounded.String(); got != "nd third" {
		t.Errorf("kept %q, want the last 8 bytes %q", got, "nd third")
	}
}
