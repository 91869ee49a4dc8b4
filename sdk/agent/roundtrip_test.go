//go:build linux || darwin || freebsd

package agent_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/agent"
)

func TestBatchRoundTrip(t *testing.T) {
	r := serve(t, agent.Options{})
	resp, err := forward(r.socket, 5*time.Second, request("db/password", "api/token", "missing"))
	if err != nil {
		t.Fatalf("Forward: %v", err)
	}
	if got := value(resp, "db/password"); got != "value of db/password" {
		t.Errorf("db/password = %q", got)
	}
	if got := value(resp, "api/token"); got != "value of api/token" {
		t.Errorf("api/token = %q", got)
	}
	if resp.Response == nil {
		t.Fatalf("reply %+v has no response", resp)
	}
	if e := resp.Response.Errors["missing"]; e.Code != protocol.NotFound {
		t.Errorf("missing: error %v, want NOT_FOUND", e)
	}
	if len(resp.Response.Values) != 2 || len(resp.Response.Errors) != 1 || resp.Response.ProtocolVersion != 1 {
		t.Errorf("response %+v", resp.Response)
	}
}

func TestSocketAndDirectoryModes(t *testing.T) {
	r := serve(t, agent.Options{})
	info, err := os.Lstat(r.socket)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Type() != fs.ModeSocket || info.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, want a socket 0600", info.Mode())
	}
	dir, err := os.Lstat(filepath.Dir(r.socket))
	if err != nil {
		t.Fatal(err)
	}
	if dir.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v, want 0700", dir.Mode())
	}
	// The private directory the socket was bound in is gone; the lock is
	// all that sits beside the socket.
	entries, _ := os.ReadDir(filepath.Dir(r.socket))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "r.sock r.sock.lock" {
		t.Errorf("directory holds %v, want the socket and its lock", names)
	}
}

func TestStopRemovesSocket(t *testing.T) {
	r := serve(t, agent.Options{})
	r.stop()
	r.wait(t, 5*time.Second)
	if _, err := os.Lstat(r.socket); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("socket after stop: %v, want it removed", err)
	}
	if _, err := forward(r.socket, time.Second, request("a")); !errors.Is(err, agent.ErrNoAgent) {
		t.Errorf("Forward after stop: %v, want ErrNoAgent", err)
	}
}

func TestConfigMismatchRefused(t *testing.T) {
	r := serve(t, agent.Options{})
	req := request("a")
	req.Config = "digest-of-other-flags"
	_, err := forward(r.socket, 5*time.Second, req)
	if !errors.Is(err, agent.ErrRefused) {
		t.Fatalf("Forward with another config: %v, want ErrRefused", err)
	}
	if !strings.Contains(err.Error(), "another configuration") {
		t.Errorf("error %q does not say the configuration differs", err)
	}
	if strings.Contains(err.Error(), digest) || strings.Contains(err.Error(), req.Config) {
		t.Errorf("error %q gives a digest away", err)
	}
	if n := r.echo.calls.Load(); n != 0 {
		t.Errorf("the backend was called %d times for a refused batch", n)
	}
}

func TestForwardWithoutAgent(t *testing.T) {
	socket := socketIn(t)
	if _, err := forward(socket, time.Second, request("a")); !errors.Is(err, agent.ErrNoAgent) {
		t.Errorf("no socket: %v, want ErrNoAgent", err)
	}
	if err := os.MkdirAll(filepath.Dir(socket), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(socket, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := forward(socket, time.Second, request("a")); !errors.Is(err, agent.ErrNoAgent) {
		t.Errorf("regular file: %v, want ErrNoAgent", err)
	}
}

func TestForwardTimesOut(t *testing.T) {
	r := serve(t, agent.Options{})
	start := time.Now()
	_, err := forward(r.socket, 300*time.Millisecond, request("block"))
	if !errors.Is(err, agent.ErrTimeout) {
		t.Fatalf("Forward to a slow agent: %v, want ErrTimeout", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Forward took %s past a 300ms deadline", took)
	}
	if _, err := forward(r.socket, 0, request("a")); !errors.Is(err, agent.ErrTimeout) {
		t.Errorf("Forward with the deadline passed: %v, want ErrTimeout", err)
	}
}
