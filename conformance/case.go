package conformance

import (
	"context"
	"fmt"
	"time"

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
// report never shows a secret, whatever the target printed.
type checker struct {
	ctx      context.Context
	fixture  *Fixture
	provider host.Provider // the fixture's block with the target's command
	runner   *host.Runner
	red      *redact.Redactor
	failures []string
	skipped  string
}

func (c *checker) failf(format string, args ...any) {
	c.failures = append(c.failures, c.red.String(fmt.Sprintf(format, args...)))
}

func (c *checker) skipf(format string, args ...any) {
	c.skipped = fmt.Sprintf(format, args...)
}

// request encodes a request exactly as the gateway would, but without the
// gateway's own checks: cases send duplicates and invalid ids on purpose.
func (c *checker) request(ids ...string) []byte {
	if ids == nil {
		ids = []string{}
	}
	return protocol.EncodeRequest(protocol.Request{ProtocolVersion: protocol.Version, Provider: c.fixture.Name, IDs: ids})
}

// exec runs the target once on stdin.
func (c *checker) exec(stdin []byte) (*host.Run, error) {
	return c.runner.Exec(c.ctx, c.fixture.Name, c.provider, stdin)
}

// answer sends ids and reads the response strictly. It records a failure
// and returns nil when the run or the response is not acceptable.
func (c *checker) answer(ids ...string) *response {
	run, err := c.exec(c.request(ids...))
	if err != nil {
		c.failf("%s", describeRunError(run, err))
		return nil
	}
	resp, err := parseStrict(run.Stdout, ids)
	if err != nil {
		c.failf("%v", err)
		return nil
	}
	resp.run = run
	return resp
}

// expectValue checks that id resolved to exactly want. It never prints
// either value, only where they differ.
func (c *checker) expectValue(r *response, id, want string) {
	if e, failed := r.errors[id]; failed {
		c.failf("%q: want its value, got error %s", id, e.Code)
		return
	}
	got, ok := r.values[id].(string)
	switch {
	case !ok:
		c.failf("%q: want a string value, got %T", id, r.values[id])
	case got != want:
		c.failf("%q: value differs from the fixture's: %s", id, difference(got, want))
	}
}

// expectCode checks that id failed with code.
func (c *checker) expectCode(r *response, id string, code protocol.Code) {
	e, failed := r.errors[id]
	switch {
	case !failed:
		c.failf("%q: want error %s, got a value", id, code)
	case e.Code != code:
		c.failf("%q: want error %s, got %s (%s)", id, code, e.Code, e.Message)
	}
}

// difference describes how two values differ without showing them.
func difference(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	return fmt.Sprintf("%d bytes, want %d; first difference at byte %d", len(got), len(want), i)
}

// describeRunError says why a run failed, with a short stderr excerpt.
func describeRunError(run *host.Run, err error) string {
	if run == nil {
		return err.Error()
	}
	return fmt.Sprintf("%v (after %s)%s", err, run.Duration.Round(time.Millisecond), excerpt(run.Stderr))
}

// excerpt is the start of a stream for a report; the checker redacts it.
func excerpt(b []byte) string {
	const max = 300
	if len(b) == 0 {
		return ""
	}
	s := string(b)
	if len(s) > max {
		s = s[:max] + "…"
	}
	return fmt.Sprintf("; stderr: %q", s)
}
