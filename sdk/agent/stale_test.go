//go:build linux || darwin || freebsd

package agent_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/execref/execref/sdk/agent"
	"github.com/execref/execref/sdk/sdktest"
)

// staleSocket leaves a socket file at path that nobody listens on, as an
// agent that was killed does.
func staleSocket(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	lis, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	lis.SetUnlinkOnClose(false)
	lis.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestStaleSocketReplaced(t *testing.T) {
	socket := socketIn(t)
	staleSocket(t, socket)
	if _, err := forward(socket, time.Second, request("a")); !errors.Is(err, agent.ErrNoAgent) {
		t.Fatalf("Forward to a stale socket: %v, want ErrNoAgent", err)
	}
	r := serve(t, agent.Options{Socket: socket})
	r.logs.waitFor(t, "removed the stale socket")
	if _, err := forward(socket, 5*time.Second, request("a")); err != nil {
		t.Errorf("Forward after the stale socket was replaced: %v", err)
	}
}

func TestLiveAgentRefused(t *testing.T) {
	r := serve(t, agent.Options{})
	_, err := agent.Listen(context.Background(), agent.Options{Socket: r.socket, Logf: t.Logf})
	if !errors.Is(err, agent.ErrAgentRunning) {
		t.Fatalf("second agent on the socket: %v, want ErrAgentRunning", err)
	}
	// The first one still answers.
	if _, err := forward(r.socket, 5*time.Second, request("a")); err != nil {
		t.Errorf("Forward to the first agent: %v", err)
	}
}

func TestForeignListenerRefused(t *testing.T) {
	socket := socketIn(t)
	if err := os.MkdirAll(filepath.Dir(socket), 0o700); err != nil {
		t.Fatal(err)
	}
	lis, err := net.Listen("unix", socket)
	if err != nil {
		t.Fatal(err)
	}
	defer lis.Close()
	_, err = agent.Listen(context.Background(), agent.Options{Socket: socket, Logf: t.Logf})
	if !errors.Is(err, agent.ErrAgentRunning) {
		t.Fatalf("Listen where something accepts: %v, want ErrAgentRunning", err)
	}
	if _, err := os.Lstat(socket); err != nil {
		t.Errorf("the live socket was touched: %v", err)
	}
}

func TestNonSocketRefused(t *testing.T) {
	socket := socketIn(t)
	if err := os.MkdirAll(filepath.Dir(socket), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(socket, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := agent.Listen(context.Background(), agent.Options{Socket: socket, Logf: t.Logf})
	if !errors.Is(err, agent.ErrNotSocket) {
		t.Fatalf("Listen over a regular file: %v, want ErrNotSocket", err)
	}
	if data, _ := os.ReadFile(socket); string(data) != "keep me" {
		t.Errorf("the file was changed: %q", data)
	}
}

func TestUnsafeDirectoryRefused(t *testing.T) {
	open := filepath.Join(t.TempDir(), "open")
	if err := os.Mkdir(open, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o770); err != nil {
		t.Fatal(err)
	}
	real := filepath.Join(t.TempDir(), "real")
	if err := os.Mkdir(real, 0o700); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, dir := range map[string]string{"group-writable": open, "symlink": link, "not a directory": notDir} {
		_, err := agent.Listen(context.Background(), agent.Options{Socket: filepath.Join(dir, "r.sock"), Logf: t.Logf})
		if !errors.Is(err, agent.ErrUnsafeDir) {
			t.Errorf("%s: %v, want ErrUnsafeDir", name, err)
		}
	}
}

func TestDirectoryOfAnotherUserRefused(t *testing.T) {
	cred := sdktest.Nobody(t)
	dir := filepath.Join(t.TempDir(), "theirs")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
		t.Fatal(err)
	}
	_, err := agent.Listen(context.Background(), agent.Options{Socket: filepath.Join(dir, "r.sock"), Logf: t.Logf})
	if !errors.Is(err, agent.ErrUnsafeDir) {
		t.Errorf("directory owned by nobody: %v, want ErrUnsafeDir", err)
	}
}
