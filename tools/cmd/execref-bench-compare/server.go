package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// A server is a backend in a process of its own (the Vault test binary,
// fakeaws-server): it prints one JSON line once it serves and serves
// until its stdin closes, which the kernel also does if this process
// dies first, so that no backend outlives the benchmark.
type server struct {
	name   string
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr *tailWriter
	done   chan struct{} // closed once the process has been waited for
	err    error         // its Wait's error, once done is closed
	once   sync.Once
}

// startServer starts cmd and waits, at most wait, for its first line,
// which it decodes into ready; valid says whether that line is what the
// server promises (shape describes it, for the error). On error nothing
// is left running, and the error quotes the end of its stderr.
func startServer(name string, cmd *exec.Cmd, wait time.Duration, ready any, valid func() bool, shape string) (*server, error) {
	s := &server{name: name, cmd: cmd, stderr: &tailWriter{max: 4 << 10}, done: make(chan struct{})}
	first := &firstLineWriter{line: make(chan []byte, 1)}
	cmd.Stdout, cmd.Stderr = first, s.stderr
	var err error
	if s.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	go func() {
		s.err = cmd.Wait()
		close(s.done)
	}()
	fail := func(why string) (*server, error) {
		s.stop(time.Second)
		return nil, fmt.Errorf("%s %s; stderr: %s", name, why, s.stderr)
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case line := <-first.line:
		if err := json.Unmarshal(line, ready); err != nil || !valid() {
			return fail(fmt.Sprintf("did not print %s first (%d bytes)", shape, len(line)))
		}
		return s, nil
	case <-s.done:
		return fail(fmt.Sprintf("exited before it served (%v)", s.err))
	case <-timer.C:
		return fail(fmt.Sprintf("did not serve within %s", wait))
	}
}

// stop closes the server's stdin, which ends it, and kills it if it has
// not exited wait later; exitErr then says how it ended.
func (s *server) stop(wait time.Duration) {
	s.once.Do(func() {
		_ = s.stdin.Close()
		select {
		case <-s.done:
		case <-time.After(wait):
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	})
}

// exitErr is how the server ended, once stop has returned: nil when it
// exited 0.
func (s *server) exitErr() error {
	select {
	case <-s.done:
		if s.err != nil {
			return fmt.Errorf("%s: %w; stderr: %s", s.name, s.err, s.stderr)
		}
		return nil
	default:
		return errors.New(s.name + " is still running")
	}
}

// firstLineWriter passes the first line written to it, without its
// newline, to line, and discards the rest, so that the process never
// blocks on a full pipe.
type firstLineWriter struct {
	line chan []byte
	buf  []byte
	sent bool
}

func (w *firstLineWriter) Write(p []byte) (int, error) {
	if w.sent {
		return len(p), nil
	}
	w.buf = append(w.buf, p...)
	if i := bytes.IndexByte(w.buf, '\n'); i >= 0 || len(w.buf) > 64<<10 {
		if i < 0 {
			i = len(w.buf)
		}
		w.line <- w.buf[:i]
		w.buf, w.sent = nil, true
	}
	return len(p), nil
}

// tailWriter keeps the last max bytes written to it: the end of a
// process's stderr, for an error.
type tailWriter struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = t.buf[len(t.buf)-t.max:]
	}
	return len(p), nil
}

func (t *tailWriter) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := strings.TrimSpace(string(t.buf))
	if s == "" {
		return "(empty)"
	}
	return s
}
