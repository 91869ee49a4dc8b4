package conformance

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/execref/execref/sdk/host"
)

// Bounds on the agent's life cycle. A start takes a process launch and a
// listen; a stop lets the batches in flight finish up to their deadlines
// (the agent's own rule) and then some.
const (
	agentStartWait = 15 * time.Second
	agentStopWait  = 10 * time.Second
)

// agentAnsweredLine is the line an SDK agent's --verbose log has for each
// batch it answered (sdk's resolverServer: "NAME: answered N values,
// errors …, in D"). Counting them proves that batches reached the agent.
var agentAnsweredLine = regexp.MustCompile(`^\S+: answered \d+ values, errors .+, in \S+$`)

// agentProcess is the target's agent, started as an operator (or
// openclaw-resolver-run agent) would: the provider's command and args,
// then --verbose agent --socket S, with exactly the environment the exec
// side gets, in the command's directory. The configuration digest covers
// every backend flag and the whole environment, so anything else would
// be refused batch by batch.
type agentProcess struct {
	socket, dir string
	cmd         *exec.Cmd
	log         *lineLog
	answered    atomic.Int64
	listening   chan struct{}
	done        chan struct{} // closed once the process is reaped
}

// startAgent starts the agent in a private directory of its own and waits
// until it listens.
func startAgent(ctx context.Context, p host.Provider, env []string) (*agentProcess, error) {
	// MkdirTemp makes it 0700: the agent refuses a directory that others
	// can write. The path stays short, as a unix socket's must.
	dir, err := os.MkdirTemp("", "execref-agent-")
	if err != nil {
		return nil, fmt.Errorf("a directory for the agent's socket: %w", err)
	}
	a := &agentProcess{socket: filepath.Join(dir, "a.sock"), dir: dir, listening: make(chan struct{}), done: make(chan struct{})}
	var ready sync.Once
	a.log = newLineLog(func(line string) {
		switch {
		case agentAnsweredLine.MatchString(line):
			a.answered.Add(1)
		case strings.Contains(line, ": agent: listening on "+a.socket):
			ready.Do(func() { close(a.listening) })
		}
	})
	args := append(slices.Clone(p.Args), "--verbose", "agent", "--socket", a.socket)
	a.cmd = &exec.Cmd{
		Path:   p.Command,
		Args:   append([]string{p.Command}, args...),
		Env:    env,
		Dir:    filepath.Dir(p.Command),
		Stdout: a.log, // an agent writes nothing there; anything it does is shown with its log
		Stderr: a.log,
	}
	if err := a.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("starting the agent: %w", err)
	}
	go func() {
		_ = a.cmd.Wait()
		close(a.done)
	}()
	wait := time.NewTimer(agentStartWait)
	defer wait.Stop()
	select {
	case <-a.listening:
		return a, nil
	case <-a.done:
		err = fmt.Errorf("the agent (%s) exited with %s before it listened; it said: %q", a.commandLine(), exitText(a.cmd.ProcessState), clip(a.log.tail(5), stderrShown))
	case <-wait.C:
		err = fmt.Errorf("the agent (%s) did not listen on %s within %s; it said: %q", a.commandLine(), a.socket, agentStartWait, clip(a.log.tail(5), stderrShown))
	case <-ctx.Done():
		err = ctx.Err()
	}
	a.stop()
	return nil, err
}

// commandLine names the agent's command for a reader: the binary and the
// words after the provider's args (the args may hold anything).
func (a *agentProcess) commandLine() string {
	return filepath.Base(a.cmd.Path) + " … --verbose agent --socket " + a.socket
}

// exited tells whether the agent is gone, and how it ended.
func (a *agentProcess) exited() (string, bool) {
	select {
	case <-a.done:
		return exitText(a.cmd.ProcessState), true
	default:
		return "", false
	}
}

// awaitAnswered waits until the agent has logged at least n answered
// batches. The agent writes a batch's lines before it sends the answer,
// so they are in the pipe when the exec side has the answer; the wait is
// only for this process to read them.
func (a *agentProcess) awaitAnswered(n int64, within time.Duration) bool {
	limit := time.NewTimer(within)
	defer limit.Stop()
	for {
		changed := a.log.changed()
		if a.answered.Load() >= n {
			return true
		}
		select {
		case <-changed:
		case <-a.done:
			return a.answered.Load() >= n
		case <-limit.C:
			return a.answered.Load() >= n
		}
	}
}

// stop ends the agent as its supervisor would (SIGTERM: it finishes the
// batches in flight, releases what it holds and removes its socket),
// kills it if it does not, and removes its directory.
func (a *agentProcess) stop() {
	if _, gone := a.exited(); !gone {
		if err := a.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			_ = a.cmd.Process.Kill()
		}
		select {
		case <-a.done:
		case <-time.After(agentStopWait):
			_ = a.cmd.Process.Kill()
			<-a.done
		}
	}
	os.RemoveAll(a.dir)
}

// exitText says how a process ended.
func exitText(st *os.ProcessState) string {
	if st == nil {
		return "an unknown status"
	}
	return st.String() // "exit status 2", "signal: killed"
}
