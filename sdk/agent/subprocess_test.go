//go:build linux || darwin || freebsd

package agent_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/execref/execref/sdk/agent"
	"github.com/execref/execref/sdk/sdktest"
)

const (
	roleEnv   = "EXECREF_AGENT_TEST_ROLE"
	socketEnv = "EXECREF_AGENT_TEST_SOCKET"
)

// TestMain lets the test binary play the agent ("serve") or a raw client
// ("connect") in a process of its own, possibly as another user.
func TestMain(m *testing.M) {
	switch os.Getenv(roleEnv) {
	case "serve":
		os.Exit(helperServe(os.Getenv(socketEnv)))
	case "connect":
		os.Exit(helperConnect(os.Getenv(socketEnv)))
	}
	os.Exit(m.Run())
}

// helperServe serves echo on socket, says "ready" on stdout once the socket
// accepts and "started <id>" when a slow id starts.
func helperServe(socket string) int {
	e := newEcho()
	var mu sync.Mutex
	e.started = func(id string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Printf("started %s\n", id)
	}
	a, err := agent.Listen(context.Background(), agent.Options{Socket: socket, Config: digest})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("ready")
	if err := a.Serve(context.Background(), e); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// helperConnect connects to socket, sends a call as Forward would, and
// reports "closed" when the agent hangs up without a byte, "answered"
// otherwise.
func helperConnect(socket string) int {
	conn, err := net.Dial("unix", socket)
	if err != nil {
		fmt.Printf("dial: %v\n", err)
		return 1
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	_, _ = conn.Write([]byte(`{"config":"","timeoutMs":1000,"request":{"protocolVersion":1,"provider":"p","ids":["a"]}}`))
	_ = conn.(*net.UnixConn).CloseWrite()
	n, err := conn.Read(make([]byte, 64))
	if n == 0 && (errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET)) {
		fmt.Println("closed")
		return 0
	}
	fmt.Printf("answered: %d bytes, %v\n", n, err)
	return 0
}

// helper is a helper process of the test binary.
type helper struct {
	cmd    *exec.Cmd
	lines  chan string
	stderr *bytes.Buffer
}

// startHelper runs the test binary in role on socket, as cred's user when
// cred is not nil (then bin must be a copy others can run).
func startHelper(t *testing.T, bin, role, socket string, cred *syscall.Credential) *helper {
	t.Helper()
	cmd := exec.Command(bin, "-test.run=^$")
	cmd.Env = append(os.Environ(), roleEnv+"="+role, socketEnv+"="+socket)
	if cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		cmd.Dir = "/"
	}
	h := &helper{cmd: cmd, lines: make(chan string, 16), stderr: &bytes.Buffer{}}
	cmd.Stderr = h.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			h.lines <- sc.Text()
		}
		close(h.lines)
	}()
	return h
}

// expect waits up to 10 s for the helper's next stdout line and checks it
// starts with prefix.
func (h *helper) expect(t *testing.T, prefix string) string {
	t.Helper()
	select {
	case line, ok := <-h.lines:
		if !ok || !strings.HasPrefix(line, prefix) {
			t.Fatalf("helper said %q (ended: %v), want %q…; stderr:\n%s", line, !ok, prefix, h.stderr)
		}
		return line
	case <-time.After(10 * time.Second):
		t.Fatalf("helper silent for 10s, want %q…", prefix)
	}
	return ""
}

// self is the running test binary.
func self(t *testing.T) string {
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// sharedDir is a fresh directory everyone can traverse, holding a copy of
// the test binary everyone can run: what a helper running as another user
// needs.
func sharedDir(t *testing.T) (dir, bin string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "agent-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(self(t))
	if err != nil {
		t.Fatal(err)
	}
	bin = filepath.Join(dir, "agent.test")
	if err := sdktest.WriteExecutable(bin, data); err != nil {
		t.Fatal(err)
	}
	return dir, bin
}
