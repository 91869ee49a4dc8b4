package conformance

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/redact"
)

// Case is one rule the target must follow.
type Case struct {
	// ID is stable across releases, e.g. "CORE-001"; select with --run.
	ID string
	// Rationale says in one line what is checked and why it matters.
	Rationale string
	// Optional cases are recommendations: a failure is reported but does
	// not fail the suite.
	Optional bool

	check func(c *checker)
	// static cases inspect the install without running the target, so
	// neither a refused command nor a hanging target stops them.
	static bool
	// notOver says, for each transport the case does not apply to, why
	// (see transport_rules.go); the case is reported skipped there with
	// that reason.
	notOver map[Transport]string
}

// Status is a case's outcome.
type Status string

const (
	Pass Status = "pass"
	Fail Status = "fail"
	Skip Status = "skip"
)

// checker is one case's run: the target, the fixture, and what went wrong.
// Every reason it records is redacted with the fixture's values, so a
// report never shows a secret, whatever the target printed. Cases may run
// the target from several goroutines at once, so recording is locked.
type checker struct {
	ctx       context.Context
	fixture   *Fixture
	provider  host.Provider // the fixture's block with the target's command
	transport Transport
	link      link // the session's way to the target over transport
	red       *redact.Redactor

	mu       sync.Mutex
	failures []failure
	warnings []string
	skipped  string
	timedOut string // the host's sentence for the first run it killed for time
}

// failure is one thing a case found wrong. cause is what it shares with
// the same fault in other cases (no id, no duration), for grouping; text
// is the full account.
type failure struct{ cause, text string }

func (c *checker) failf(format string, args ...any) {
	text := c.red.String(fmt.Sprintf(format, args...))
	c.record(failure{cause: text, text: text})
}

// failBecause records a failure whose root cause reads the same wherever
// it shows.
func (c *checker) failBecause(cause, format string, args ...any) {
	c.record(failure{cause: c.red.String(cause), text: c.red.String(fmt.Sprintf(format, args...))})
}

func (c *checker) record(f failure) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failures = append(c.failures, f)
}

// warnf records something the gateway tolerates but other hosts may not.
func (c *checker) warnf(format string, args ...any) {
	w := c.red.String(fmt.Sprintf(format, args...))
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, seen := range c.warnings {
		if seen == w {
			return
		}
	}
	c.warnings = append(c.warnings, w)
}

func (c *checker) skipf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.skipped = fmt.Sprintf(format, args...)
}

// request encodes a request exactly as the gateway would, but without the
// gateway's own checks: cases send duplicates and invalid ids on purpose.
func (c *checker) request(ids ...string) []byte {
	return protocol.EncodeRequest(protocol.Request{ProtocolVersion: protocol.Version, Provider: c.fixture.Name, IDs: orEmpty(ids)})
}

// orEmpty makes no ids an empty array on the wire, never null.
func orEmpty(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}

// exec runs the target once on stdin, and notes a run the host killed for
// taking too long, which makes the suite stop sending it more cases.
func (c *checker) exec(stdin []byte) (*host.Run, error) {
	run, _, err := c.execSide(stdin)
	return run, err
}

// execSide is exec that also returns what the target wrote elsewhere
// meanwhile (over the agent, the agent's log).
func (c *checker) execSide(stdin []byte) (*host.Run, []byte, error) {
	run, side, err := c.link.exec(c.ctx, c.fixture.Name, c.provider, stdin)
	c.noteTimeout(err)
	return run, side, err
}

// noteTimeout remembers the first run the host killed for time.
func (c *checker) noteTimeout(err error) {
	if errors.Is(err, host.ErrTimeout) || errors.Is(err, host.ErrNoOutputTimeout) {
		c.mu.Lock()
		if c.timedOut == "" {
			c.timedOut = err.Error()
		}
		c.mu.Unlock()
	}
}

// answer sends ids and reads the response strictly. It records a failure
// and returns nil when the run or the response is not acceptable.
func (c *checker) answer(ids ...string) *response {
	resp, f := c.try(ids)
	if f != nil {
		c.record(*f)
	}
	return resp
}

// try is answer without recording the failure, for cases that judge
// several runs together. Warnings are recorded all the same.
func (c *checker) try(ids []string) (*response, *failure) {
	return c.tryAs(c.fixture.Name, ids)
}

// tryAs is try with the request naming provider alias, over the
// session's transport: a request on stdin, or a call over go-plugin.
func (c *checker) tryAs(alias string, ids []string) (*response, *failure) {
	if cl, ok := c.link.(caller); ok {
		return c.tryCall(cl, alias, ids)
	}
	stdin := protocol.EncodeRequest(protocol.Request{ProtocolVersion: protocol.Version, Provider: alias, IDs: orEmpty(ids)})
	return c.tryRequest(stdin, ids)
}

// tryRequest is try with a request made by the case.
func (c *checker) tryRequest(stdin []byte, ids []string) (*response, *failure) {
	run, side, err := c.execSide(stdin)
	if err != nil {
		return nil, c.runFailure(run, err)
	}
	resp, err := parseStrict(run.Stdout, ids)
	if err != nil {
		return nil, &failure{cause: c.red.String(err.Error()), text: c.red.String(fmt.Sprintf("%v (%s)", err, c.runFacts(run, nil)))}
	}
	for _, w := range resp.warnings {
		c.warnf("%s", w)
	}
	resp.took = run.Duration
	resp.output = len(run.Stdout) + len(run.Stderr)
	resp.stderr = append(slices.Clip(run.Stderr), side...)
	return resp, nil
}
