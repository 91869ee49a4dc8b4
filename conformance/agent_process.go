package conformance

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sync/atomic"
	"time"

	"github.com/execref/execref/sdk/agent"
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
// openclaw-resolver-run agent) would, by agent.StartProcess: the
// provider's command and args, then --verbose agent --socket S (S in a
// private directory of its own), with exactly the environment the exec
// side gets, in the command's directory. The configuration digest covers
// every backend flag and the whole environment, so anything else would
// be refused batch by batch.
type agentProcess struct {
	socket   string
	proc     *agent.Process
	log      *lineLog
	answered atomic.Int64
}

// startAgent starts the agent of p, the gateway's environment being
// lookupEnv, and waits until it listens.
func startAgent(ctx context.Context, p host.Provider, lookupEnv func(string) (string, bool)) (*agentProcess, error) {
	a := &agentProcess{}
	a.log = newLineLog(func(line string) {
		if agentAnsweredLine.MatchString(line) {
			a.answered.Add(1)
		}
	})
	p.Args = append(slices.Clone(p.Args), "--verbose")
	wait, cancel := context.WithTimeout(ctx, agentStartWait)
	defer cancel()
	proc, err := agent.StartProcess(wait, agent.ProcessConfig{Provider: p, LookupEnv: lookupEnv, Stderr: a.log})
	if err == nil {
		a.socket, a.proc = proc.Socket(), proc
		return a, nil
	}
	var pe *agent.ProcessError
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case !errors.As(err, &pe):
		return nil, err
	case errors.Is(err, agent.ErrExitedEarly):
		return nil, fmt.Errorf("the agent (%s) exited with %s before it listened; it said: %q", commandLine(p, pe.Socket), exitText(pe.State), clip(a.log.tail(5), stderrShown))
	case errors.Is(err, agent.ErrNotListening):
		return nil, fmt.Errorf("the agent (%s) did not listen on %s within %s; it said: %q", commandLine(p, pe.Socket), pe.Socket, agentStartWait, clip(a.log.tail(5), stderrShown))
	}
	return nil, fmt.Errorf("starting the agent: %w", pe.Cause)
}

// commandLine names the agent's command for a reader: the binary and the
// words after the provider's args (the args may hold anything).
func commandLine(p host.Provider, socket string) string {
	return filepath.Base(p.Command) + " … --verbose agent --socket " + socket
}

// exited tells whether the agent is gone, and how it ended.
func (a *agentProcess) exited() (string, bool) {
	if st := a.proc.State(); st != nil {
		return exitText(st), true
	}
	return "", false
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
		case <-a.proc.Done():
			return a.answered.Load() >= n
		case <-limit.C:
			return a.answered.Load() >= n
		}
	}
}

// stop ends the agent as its supervisor would (SIGTERM: it finishes the
// batches in flight, releases what it holds and removes its socket),
// and kills it if it does not; its directory goes with it.
func (a *agentProcess) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), agentStopWait)
	defer cancel()
	_ = a.proc.Stop(ctx)
}

// exitText says how a process ended.
func exitText(st *os.ProcessState) string {
	if st == nil {
		return "an unknown status"
	}
	return st.String() // "exit status 2", "signal: killed"
}
