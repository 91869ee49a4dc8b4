package sdktest

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/sdk/agent"
	"github.com/execref/execref/sdk/host"
)

// agentWait bounds each wait for an agent (to listen, to stop, to say a
// line): generous, as the machine running the tests may be loaded, and
// never reached when things work.
const agentWait = 30 * time.Second

// Agent is a resolver's agent a test started, killed when the test ends
// if it still runs.
type Agent struct {
	// Socket is where it listens.
	Socket string
	// Log is what it wrote on stderr so far; its lines reach Log a moment
	// after the agent wrote them (WaitLog waits for one).
	Log *Buffer
	// Process is the running process: Signal, Done, State, Kill.
	Process *agent.Process
}

// noEnv is the environment of the gateway the tests play: empty, so that
// only the provider's env reaches the resolver.
func noEnv(string) (string, bool) { return "", false }

// ShortDir is a fresh private directory (0700) with a short path, removed
// when tb ends: a unix socket in it fits the ~100 bytes a socket's path
// may have, which tb.TempDir()'s long names can exceed.
func ShortDir(tb testing.TB) string {
	tb.Helper()
	dir, err := agent.TempDir()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// StartAgent starts p's resolver as its agent with the agent command's
// flags, on a socket in a fresh ShortDir: `COMMAND ARGS... agent --socket
// S FLAGS...`, with exactly the environment the exec side gets from a
// gateway whose own environment is empty (p's env and OPENCLAW_CLI=1),
// in the command's directory, as an operator starts it for the provider.
// It returns once the agent listens, and fails tb if it does not.
func StartAgent(tb testing.TB, p host.Provider, flags ...string) *Agent {
	tb.Helper()
	return StartAgentAt(tb, filepath.Join(ShortDir(tb), "agent.sock"), p, flags...)
}

// StartAgentAt is StartAgent on socket: one a test made (a stale one, or
// one another agent serves).
func StartAgentAt(tb testing.TB, socket string, p host.Provider, flags ...string) *Agent {
	tb.Helper()
	a := &Agent{Socket: socket, Log: &Buffer{}}
	ctx, cancel := context.WithTimeout(context.Background(), agentWait)
	defer cancel()
	proc, err := agent.StartProcess(ctx, agent.ProcessConfig{Provider: p, LookupEnv: noEnv, Socket: socket, Flags: flags, Stderr: a.Log})
	return a.started(tb, proc, err)
}

// StartAgentCommand starts cmd, an agent's command line however it is
// spelled (a service manager's, or the resolver's with its default
// socket), with Log as its stderr, and returns once socket accepts.
func StartAgentCommand(tb testing.TB, cmd *exec.Cmd, socket string) *Agent {
	tb.Helper()
	a := &Agent{Socket: socket, Log: &Buffer{}}
	cmd.Stderr = a.Log
	ctx, cancel := context.WithTimeout(context.Background(), agentWait)
	defer cancel()
	proc, err := agent.StartCommand(ctx, cmd, socket)
	return a.started(tb, proc, err)
}

func (a *Agent) started(tb testing.TB, proc *agent.Process, err error) *Agent {
	tb.Helper()
	if err != nil {
		tb.Fatal(err) // its stderr is in the error
	}
	a.Process = proc
	tb.Cleanup(proc.Kill)
	return a
}

// Via is p forwarding its batches to the agent: --agent SOCKET added to
// its args (a shared flag, outside the configuration digest).
func (a *Agent) Via(p host.Provider) host.Provider {
	p.Args = append(slices.Clone(p.Args), "--agent", a.Socket)
	return p
}

// WaitLog waits until the agent's log holds text, and fails tb if the
// agent ends first or does not say it in time.
func (a *Agent) WaitLog(tb testing.TB, text string) {
	tb.Helper()
	limit := time.NewTimer(agentWait)
	defer limit.Stop()
	for !strings.Contains(a.Log.String(), text) {
		select {
		case <-a.Process.Done():
			// Its whole log is in by now: Done waits for the copy.
			if strings.Contains(a.Log.String(), text) {
				return
			}
			tb.Fatalf("the agent ended (%s) without saying %q; its log:\n%s", a.Process.State(), text, a.Log)
		case <-limit.C:
			tb.Fatalf("the agent did not say %q within %s; its log:\n%s", text, agentWait, a.Log)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Wait waits for the agent to end on its own (or by a signal the test
// sent) and returns its exit status (-1 for a signal); it fails tb if the
// agent still runs after a while.
func (a *Agent) Wait(tb testing.TB) int {
	tb.Helper()
	select {
	case <-a.Process.Done():
		return a.Process.State().ExitCode()
	case <-time.After(agentWait):
		tb.Fatalf("the agent still runs after %s; its log:\n%s", agentWait, a.Log)
		return 0
	}
}

// Stop stops the agent as a service manager does (SIGTERM) and returns
// how it ended: nil for status 0, else an *agent.ProcessError. An agent
// that does not stop in time fails tb and is killed. Its log is complete
// once Stop returns.
func (a *Agent) Stop(tb testing.TB) error {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), agentWait)
	defer cancel()
	err := a.Process.Stop(ctx)
	if errors.Is(err, agent.ErrStopTimeout) {
		tb.Errorf("the agent still ran %s after SIGTERM; killed; its log:\n%s", agentWait, a.Log)
	}
	return err
}
