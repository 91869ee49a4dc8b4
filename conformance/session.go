package conformance

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/redact"
)

// installCaseID is the case that reports the command-path policy.
const installCaseID = "INSTALL-001"

// Causes of cases not run, shared by every case they stop.
const (
	causeRefused = "the gateway would refuse the command (see " + installCaseID + ")"
	causeHung    = "an earlier case timed out, and a target that hangs would hold every later case as long (--no-fail-fast runs them)"
)

// session runs cases against one target over one transport, in order,
// and carries what one case learns that changes the next: a command the
// policy refuses stops every case that would run it (checked once, up
// front), and a run the host killed for time stops the later ones unless
// NoFailFast. Its link to the target (the plugin runner's process, the
// agent) is opened at the first case that runs the target and kept for
// the others; close releases it.
type session struct {
	ctx       context.Context
	fixture   *Fixture
	provider  host.Provider
	transport Transport
	link      link
	linkErr   error // the link could not be opened: every case that runs the target fails with it
	red       *redact.Redactor
	failFast  bool
	refused   error  // the policy's verdict on the command
	hung      string // "CASE-ID timed out (the host's sentence)", once one did
}

// newSession checks the fixture (one built in Go never went through
// ParseFixture) and the command, once.
func newSession(ctx context.Context, f *Fixture, opts Options, t Transport) (*session, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	p, err := f.provider(opts.Command)
	if err != nil {
		return nil, err
	}
	return &session{
		ctx: ctx, fixture: f, provider: p, transport: t, red: f.redactor(),
		failFast: !opts.NoFailFast,
		refused:  checkInstall(f.Name, p),
	}, nil
}

// open opens the link over the session's transport, once.
func (s *session) open() error {
	if s.link != nil || s.linkErr != nil {
		return s.linkErr
	}
	runner := s.fixture.runner()
	switch s.transport {
	case Plugin:
		s.link = newPluginLink(runner.LookupEnv)
	case Agent:
		a, err := startAgent(s.ctx, s.provider, runner.LookupEnv)
		if err != nil {
			s.linkErr = fmt.Errorf("the agent transport could not start: %w", err)
			return s.linkErr
		}
		s.link = &agentLink{runner: runner, agent: a}
	default:
		s.link = &execLink{runner: runner}
	}
	return nil
}

// close releases the link: the plugin runner's processes, the agent.
func (s *session) close() {
	if s.link != nil {
		s.link.close()
	}
}

// order puts INSTALL-001 first when it is the reason nothing else runs,
// so that the report opens with it.
func (s *session) order(cases []Case) []Case {
	if s.refused == nil {
		return cases
	}
	i := slices.IndexFunc(cases, func(c Case) bool { return c.ID == installCaseID })
	return slices.Concat(cases[i:i+1], cases[:i], cases[i+1:])
}

// run runs one case, or says why it was not run.
func (s *session) run(tc Case) Result {
	res := Result{ID: tc.ID, Transport: s.transport, Rationale: tc.Rationale, Optional: tc.Optional, Status: Pass}
	switch why, notHere := tc.notOver[s.transport]; {
	case notHere:
		res.Status, res.Reason, res.Cause = Skip, "not run over "+string(s.transport)+": "+why, why
		return res
	case tc.static:
	case s.refused != nil:
		res.Status, res.Reason, res.Cause = Skip, "not run: "+causeRefused, causeRefused
		return res
	case s.hung != "" && s.failFast:
		res.Status, res.Cause = Skip, causeHung
		res.Reason = fmt.Sprintf("not run: %s; a target that hangs would hold every later case as long (--no-fail-fast runs them)", s.red.String(s.hung))
		return res
	}
	start := time.Now()
	if !tc.static {
		if err := s.open(); err != nil {
			cause := s.red.String(err.Error())
			res.Status, res.Reason, res.Cause, res.Duration = Fail, cause, cause, time.Since(start)
			return res
		}
	}
	c := &checker{ctx: s.ctx, fixture: s.fixture, provider: s.provider, transport: s.transport, link: s.link, red: s.red}
	tc.check(c)
	res.Duration = time.Since(start)
	res.Warnings = c.warnings
	// Only a required case stops the rest: skipping required cases after
	// an optional one failed would leave a verdict of conformant.
	if c.timedOut != "" && s.hung == "" && !tc.Optional {
		s.hung = tc.ID + " timed out (" + c.timedOut + ")"
	}
	switch {
	case len(c.failures) > 0:
		res.Status, res.Reason, res.Cause = Fail, joinReasons(c.failures), c.failures[0].cause
	case c.skipped != "":
		res.Status, res.Reason = Skip, c.skipped
	}
	return res
}

// joinReasons keeps a reason readable: the first few failures, then a
// count.
func joinReasons(fs []failure) string {
	const most = 5
	texts := make([]string, 0, most)
	for i, f := range fs {
		if i == most {
			return strings.Join(texts, "; ") + fmt.Sprintf("; and %d more", len(fs)-most)
		}
		texts = append(texts, f.text)
	}
	return strings.Join(texts, "; ")
}
