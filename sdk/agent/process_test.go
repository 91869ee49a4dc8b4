//go:build linux || darwin || freebsd

package agent_test

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/execref/execref/sdk/agent"
)

func itoa(n uint32) string { return strconv.FormatUint(uint64(n), 10) }

func TestAgentKilledMidBatch(t *testing.T) {
	socket := socketIn(t)
	h := startHelper(t, self(t), "serve", socket, nil)
	h.expect(t, "ready")
	type result struct {
		err  error
		took time.Duration
	}
	done := make(chan result, 1)
	go func() {
		start := time.Now()
		_, err := forward(socket, 30*time.Second, request("block"))
		done <- result{err, time.Since(start)}
	}()
	h.expect(t, "started block")
	killed := time.Now()
	if err := h.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-done:
		if !errors.Is(r.err, agent.ErrBroken) {
			t.Errorf("Forward when the agent was killed: %v, want ErrBroken", r.err)
		}
		if since := time.Since(killed); since > 2*time.Second {
			t.Errorf("Forward returned %s after the kill", since)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Forward still blocked 10s after the agent was killed")
	}
	// The killed agent left its socket behind: the exec side finds no agent
	// and the next agent replaces it.
	h.cmd.Wait()
	if _, err := forward(socket, time.Second, request("a")); !errors.Is(err, agent.ErrNoAgent) {
		t.Errorf("Forward to the dead agent's socket: %v, want ErrNoAgent", err)
	}
	r := serve(t, agent.Options{Socket: socket})
	r.logs.waitFor(t, "removed the stale socket")
	if _, err := forward(socket, 5*time.Second, request("a")); err != nil {
		t.Errorf("Forward to the new agent: %v", err)
	}
}

func TestSIGTERMRemovesSocket(t *testing.T) {
	socket := socketIn(t)
	h := startHelper(t, self(t), "serve", socket, nil)
	h.expect(t, "ready")
	if err := h.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- h.cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("agent after SIGTERM: %v; stderr:\n%s", err, h.stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("agent still running 10s after SIGTERM")
	}
	if !strings.Contains(h.stderr.String(), "stopping: received terminated") {
		t.Errorf("stderr does not say why it stopped:\n%s", h.stderr)
	}
	if _, err := os.Lstat(socket); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket after SIGTERM: %v, want it removed", err)
	}
}
