//go:build linux || darwin || freebsd

package agent_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/agent"
)

// digest is the configuration digest the tests' agents run with.
const digest = "digest-of-the-flags"

// logs collects an agent's Logf lines.
type logs struct {
	mu    sync.Mutex
	lines []string
}

func (l *logs) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// waitFor waits up to 5 s for a line containing s.
func (l *logs) waitFor(t *testing.T, s string) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if strings.Contains(l.String(), s) {
			return
		}
	}
	t.Fatalf("no log line contains %q; logs:\n%s", s, l)
}

// running is an agent served in this process.
type running struct {
	socket string
	echo   *echo
	logs   *logs
	stop   context.CancelFunc
	done   chan error
}

// socketIn is a socket path in a fresh directory of the test's.
func socketIn(t *testing.T) string {
	return filepath.Join(t.TempDir(), "agent", "r.sock")
}

// serve starts an agent with opts (Socket, Config and Logf filled in when
// empty) and stops it when the test ends.
func serve(t *testing.T, opts agent.Options) *running {
	t.Helper()
	if opts.Socket == "" {
		opts.Socket = socketIn(t)
	}
	if opts.Config == "" {
		opts.Config = digest
	}
	r := &running{socket: opts.Socket, echo: newEcho(), logs: &logs{}, done: make(chan error, 1)}
	opts.Logf = r.logs.logf
	a, err := agent.Listen(context.Background(), opts)
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.stop = cancel
	go func() { r.done <- a.Serve(ctx, r.echo) }()
	t.Cleanup(func() {
		close(r.echo.release)
		cancel()
		select {
		case <-r.done:
		case <-time.After(10 * time.Second):
			t.Error("the agent did not stop within 10s of its context's end")
		}
	})
	return r
}

// wait waits up to d for the agent's Serve to return and returns when it
// did.
func (r *running) wait(t *testing.T, d time.Duration) time.Time {
	t.Helper()
	select {
	case err := <-r.done:
		r.done <- err // for Cleanup
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
		return time.Now()
	case <-time.After(d):
		t.Fatalf("the agent still runs after %s; logs:\n%s", d, r.logs)
	}
	return time.Time{}
}

// request is a call for ids of provider p, with the agents' digest.
func request(ids ...string) agent.Call {
	return agent.Call{Config: digest, Request: protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: "p", IDs: ids})}
}

// forward is agent.Forward with a deadline of d.
func forward(socket string, d time.Duration, call agent.Call) (agent.Reply, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return agent.Forward(ctx, socket, call.Config, call.Request)
}

// value is the reply's value for id, "" when there is none.
func value(r agent.Reply, id string) string {
	if r.Response == nil {
		return ""
	}
	v, _ := r.Response.Values[id].(string)
	return v
}

// waitGone waits up to 5 s for path to disappear.
func waitGone(t *testing.T, path string) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
			return
		}
	}
	t.Fatalf("%s still exists", path)
}
