package transportbench

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/execref/execref/sdk/agent"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// Agent is a resolver's agent, started from the provider's command with
// exactly its args and environment, and the exec transport that forwards
// to it: host.Runner with --agent SOCKET --verbose added to the
// provider's args (shared flags, outside the configuration digest), so
// that each batch's stderr says whether the agent answered it.
type Agent struct {
	// Socket is where the agent listens.
	Socket string

	s    Setup
	exec *host.Runner
	proc *agent.Process
	log  *sdktest.Buffer

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
	a := &Agent{s: s, exec: &host.Runner{LookupEnv: s.lookupEnv()}, log: &sdktest.Buffer{Max: 64 << 10}}
	ctx, cancel := context.WithTimeout(context.Background(), agentStartTimeout)
	defer cancel()
	proc, err := agent.StartProcess(ctx, agent.ProcessConfig{
		Provider:  s.Provider,
		LookupEnv: s.lookupEnv(),
		Flags:     append([]string{"--idle-timeout", "1h"}, flags...),
		Stderr:    a.log,
	})
	if err != nil {
		return nil, err // its stderr is in the error
	}
	a.Socket, a.proc = proc.Socket(), proc
	return a, nil
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
	if a.proc.State() != nil {
		return 0, false
	}
	return ProcessCPU(a.proc.Pid())
}

// Close stops the agent as a service manager does (SIGTERM, then SIGKILL
// after agentStopTimeout); its directory goes with it. Its error says
// when the agent had exited on its own, or did not stop cleanly.
func (a *Agent) Close() error {
	a.closeOnce.Do(func() {
		if st := a.proc.State(); st != nil {
			a.closeErr = fmt.Errorf("the agent had exited (status %d):\n%s", st.ExitCode(), a.log)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), agentStopTimeout)
		defer cancel()
		a.closeErr = a.proc.Stop(ctx) // its stderr is in the error
	})
	return a.closeErr
}
