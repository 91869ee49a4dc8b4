//go:build linux || darwin || freebsd

package agent_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/sdk/agent"
	"github.com/execref/execref/sdk/sdktest"
)

func TestClientRefusesOpenSocket(t *testing.T) {
	r := serve(t, agent.Options{})
	if err := os.Chmod(r.socket, 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := forward(r.socket, 5*time.Second, request("a")); !errors.Is(err, agent.ErrRefused) {
		t.Errorf("Forward to a 0666 socket: %v, want ErrRefused", err)
	}
	if n := r.echo.calls.Load(); n != 0 {
		t.Errorf("the backend was called %d times", n)
	}
}

func TestClientRefusesSocketOfAnotherUser(t *testing.T) {
	cred := sdktest.Nobody(t)
	r := serve(t, agent.Options{})
	if err := os.Chown(r.socket, int(cred.Uid), int(cred.Gid)); err != nil {
		t.Fatal(err)
	}
	_, err := forward(r.socket, 5*time.Second, request("a"))
	if !errors.Is(err, agent.ErrRefused) || !strings.Contains(err.Error(), "owned by uid") {
		t.Errorf("Forward to a socket owned by nobody: %v, want ErrRefused naming the owner", err)
	}
	if n := r.echo.calls.Load(); n != 0 {
		t.Errorf("the backend was called %d times", n)
	}
}

// An agent of another user behind a socket file that looks like ours (as
// only root could arrange) is still refused: the client reads the peer's
// uid from the connection.
func TestClientRefusesAgentOfAnotherUser(t *testing.T) {
	cred := sdktest.Nobody(t)
	shared, bin := sharedDir(t)
	dir := filepath.Join(shared, "agent")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
		t.Fatal(err)
	}
	socket := filepath.Join(dir, "r.sock")
	h := startHelper(t, bin, "serve", socket, cred)
	h.expect(t, "ready")
	if err := os.Lchown(socket, os.Getuid(), os.Getgid()); err != nil {
		t.Fatal(err)
	}
	_, err := forward(socket, 5*time.Second, request("a"))
	if !errors.Is(err, agent.ErrRefused) || !strings.Contains(err.Error(), "runs as uid") {
		t.Errorf("Forward to nobody's agent: %v, want ErrRefused naming its uid", err)
	}
}

// A process of another user that reaches the socket (its mode opened by
// mistake) is hung up on before the agent reads a byte, and the agent goes on
// serving its user.
func TestServerRefusesAnotherUser(t *testing.T) {
	cred := sdktest.Nobody(t)
	shared, bin := sharedDir(t)
	r := serve(t, agent.Options{Socket: filepath.Join(shared, "agent", "r.sock")})
	if err := os.Chmod(filepath.Dir(r.socket), 0o711); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(r.socket, 0o666); err != nil {
		t.Fatal(err)
	}
	h := startHelper(t, bin, "connect", r.socket, cred)
	h.expect(t, "closed")
	r.logs.waitFor(t, "refused a connection from uid "+itoa(cred.Uid))
	if err := os.Chmod(r.socket, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := forward(r.socket, 5*time.Second, request("a")); err != nil {
		t.Errorf("Forward after the refusal: %v", err)
	}
}
