package transportbench

import (
	"context"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/execref/execref/sdk/host"
)

// Agent is a resolver's agent, started from the provider's command with
// exactly its args and environment, and the exec transport that forwards
// to it: host.Runner with --agent SOCKET --verbose added to the
// provider's args (shared flags, outside the configuration digest), so
// that each batch's stderr says whether the agent answered it.
type Agent struct {
	// Socket is where the agent listens.
	Socket string

	s      Setup
	exec   *host.Runner
	dir    string
	cmd    *exec.Cmd
	log    *tail
	exited chan struct{} // closed once the process has been waited for

	mu    sync.Mutex
	route string

	closeOnce sync.Once
	closeErr  error
}

// How long an agent may take to listen, and to stop after SIGTERM: the
// binary's start on a busy machine, and the backend's Close (a token's
// revocation) with its own bound.
const (
	agentStartTimeout = 30 * time.Second
	agentStopTimeout  = 15 * time.Second
)

// StartAgent starts `COMMAND ARGS... agent --socket SOCKET --idle-timeout
// 1h FLAGS...` as the gateway would start the provider (the environment
// host.ChildEnv builds, the command's directory as cwd), with the socket
// in a fresh 0700 directory, and returns once the socket accepts. flags
// are the agent command's own (--cache-ttl, say). Close stops it.
func StartAgent(s Setup, flags ...string) (*Agent, error) {
	// A short path: a unix socket's is limited to about 100 bytes, which
	// a benchmark's temporary directory can exceed.
	dir, err := os.MkdirTemp("", "execref-bench-")
	if err != nil {
		return nil, err
	}
	a := &Agent{
		Socket: filepath.Join(dir, "agent.sock"),
		s:      s,
		exec:   &host.Runner{LookupEnv: s.lookupEnv()},
		dir:    dir,
		log:    &tail{max: 64 << 10},
		exited: make(chan struct{}),
	}
	abs := host.CommandPath(s.Provider.Command)
	args := slices.Concat(s.Provider.Args, []string{"agent", "--socket", a.Socket, "--idle-timeout", "1h"}, flags)
	a.cmd = exec.Command(abs, args...)
	a.cmd.Env = host.ChildEnv(s.Provider, s.lookupEnv())
	a.cmd.Dir = filepath.Dir(abs)
	a.cmd.Stdout, a.cmd.Stderr = a.log, a.log
	if err := a.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("starting the agent: %w", err)
	}
	go func() {
		_ = a.cmd.Wait()
		close(a.exited)
	}()
	if err := a.waitListening(); err != nil {
		_ = a.Close()
		return nil, err
	}
	return a, nil
}

// waitListening polls until the socket accepts a connection, or the
// agent exits, or agentStartTimeout passes.
func (a *Agent) waitListening() error {
	deadline := time.Now().Add(agentStartTimeout)
	for {
		select {
		case <-a.exited:
			return fmt.Errorf("the agent exited with status %d before listening:\n%s", a.cmd.ProcessState.ExitCode(), a.log)
		default:
		}
		if info, err := os.Lstat(a.Socket); err == nil && info.Mode()&fs.ModeSocket != 0 {
			if conn, err := net.DialTimeout("unix", a.Socket, time.Second); err == nil {
				conn.Close()
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the agent did not listen on %s within %s:\n%s", a.Socket, agentStartTimeout, a.log)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Resolve runs one batch through the exec side with --agent. Route then
// says which way it went.
func (a *Agent) Resolve(ctx context.Context, ids []string) (map[string]host.Result, error) {
	p := a.s.Provider
	p.Args = append(slices.Clone(p.Args), "--agent", a.Socket, "--verbose")
	res, run, err := a.exec.ResolveRun(ctx, a.s.Name, p, ids)
	route := ""
	if run != nil {
		route = routeOf(string(run.Stderr))
	}
	a.mu.Lock()
	a.route = route
	a.mu.Unlock()
	return res, err
}

// The exec side's --verbose lines about the route (sdk/forward.go).
const (
	answeredPrefix = "answered by the agent on "
	coldPrefix     = "resolving cold: "
)

// routeOf is the exec side's line about the route, without the program
// name: "answered by the agent on …" or "resolving cold: <reason>"; ""
// when stderr has neither.
func routeOf(stderr string) string {
	for _, line := range strings.Split(stderr, "\n") {
		for _, prefix := range []string{answeredPrefix, coldPrefix} {
			if i := strings.Index(line, prefix); i >= 0 {
				return line[i:]
			}
		}
	}
	return ""
}

// Route is what the exec side said about the last batch's route.
func (a *Agent) Route() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.route
}

// Answered reports whether the agent answered the last batch.
func (a *Agent) Answered() bool { return strings.HasPrefix(a.Route(), answeredPrefix) }

// Log is what the agent wrote on stderr (the last 64 KiB): its events,
// already redacted by the SDK.
func (a *Agent) Log() string { return a.log.String() }

// LiveCPU is the agent process's CPU time so far.
func (a *Agent) LiveCPU() (time.Duration, bool) {
	select {
	case <-a.exited:
		return 0, false
	default:
	}
	return processCPU(a.cmd.Process.Pid)
}

// Close stops the agent as a service manager does (SIGTERM, then SIGKILL
// after agentStopTimeout) and removes its directory. Its error says when
// the agent had exited on its own, or did not stop cleanly.
func (a *Agent) Close() error {
	a.closeOnce.Do(func() {
		defer os.RemoveAll(a.dir)
		select {
		case <-a.exited:
			a.closeErr = fmt.Errorf("the agent had exited (status %d):\n%s", a.cmd.ProcessState.ExitCode(), a.log)
			return
		default:
		}
		_ = a.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-a.exited:
			if code := a.cmd.ProcessState.ExitCode(); code != 0 {
				a.closeErr = fmt.Errorf("the agent exited with status %d on SIGTERM:\n%s", code, a.log)
			}
		case <-time.After(agentStopTimeout):
			_ = a.cmd.Process.Kill()
			<-a.exited
			a.closeErr = fmt.Errorf("the agent did not stop within %s of SIGTERM:\n%s", agentStopTimeout, a.log)
		}
	})
	return a.closeErr
}

// tail keeps the last max bytes written to it.
type tail struct {
	max int
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = slices.Delete(t.buf, 0, over)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
