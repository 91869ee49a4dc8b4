package conformance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/execref/execref/sdk/host"
)

// agentLogWait bounds the wait for the agent's line about a batch the
// exec side says it answered: the line is in the pipe already.
const agentLogWait = 5 * time.Second

// agentLink runs every batch as the gateway runs the exec side, with
// --agent S so that it forwards the batch to the agent on S, and proves
// that the agent answered it: the exec side, run with --verbose, says
// "answered by the agent on S" (or "resolving cold: why"), and the
// agent's own log has one answered batch more for each. The response is
// identical either way by design, so without that proof an agent that
// refuses every batch would pass every case.
type agentLink struct {
	runner  *host.Runner
	agent   *agentProcess
	claimed atomic.Int64 // runs the exec side says the agent answered
}

// errCold marks a batch the exec side resolved itself, not through the
// agent.
var errCold = errors.New("answered cold, not by the agent")

// coldError is a run over the agent transport that the agent did not
// answer; reason is the exec side's, or what the suite saw.
type coldError struct{ reason string }

func (e *coldError) Error() string {
	return "the exec side resolved the batch itself, not through the agent: " + e.reason
}

func (e *coldError) Unwrap() error { return errCold }

func (l *agentLink) exec(ctx context.Context, name string, p host.Provider, stdin []byte) (*host.Run, []byte, error) {
	mark := l.agent.log.mark()
	// --verbose is one of the flags the configuration digest leaves out,
	// as is --agent: the agent still takes the batch as its own.
	p.Args = append(slices.Clone(p.Args), "--verbose", "--agent", l.agent.socket)
	run, err := l.runner.Exec(ctx, name, p, stdin)
	if err != nil {
		return run, l.agent.log.since(mark), err
	}
	if reason, ok := l.answeredByAgent(run.Stderr); !ok {
		return run, l.agent.log.since(mark), &coldError{reason}
	}
	n := l.claimed.Add(1)
	if !l.agent.awaitAnswered(n, agentLogWait) {
		return run, l.agent.log.since(mark), &coldError{fmt.Sprintf(
			"the exec side says the agent answered, but the agent's log shows %d answered batches for the %d the exec side says it sent", l.agent.answered.Load(), n)}
	}
	return run, l.agent.log.since(mark), nil
}

// answeredByAgent reads the exec side's verbose stderr: the SDK says which
// way each batch went.
func (l *agentLink) answeredByAgent(stderr []byte) (string, bool) {
	if bytes.Contains(stderr, []byte(": answered by the agent on "+l.agent.socket+" in ")) {
		return "", true
	}
	reason := "the exec side did not say that the agent answered (is it built on an execref SDK with the agent transport?)"
	if _, after, ok := bytes.Cut(stderr, []byte(": resolving cold: ")); ok {
		line, _, _ := bytes.Cut(after, []byte("\n"))
		reason = strings.TrimSpace(string(line))
	}
	if how, gone := l.agent.exited(); gone {
		reason += "; the agent had exited (" + how + ")"
	}
	return reason, false
}

func (l *agentLink) close() { l.agent.stop() }
