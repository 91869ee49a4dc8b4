package conformance

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"time"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/redact"
)

// Options select and shape a run of the suite.
type Options struct {
	// Command replaces the fixture's provider.command: the binary under
	// test, as installed. Relative paths are taken from the working
	// directory.
	Command string
	// Run and Skip select cases by ID (e.g. "^CORE-", "PROC-00[23]").
	Run, Skip *regexp.Regexp
	// NoFailFast keeps sending cases to a target after the host killed it
	// for taking too long. By default the later cases that would run it
	// are skipped: a target that hangs would hold each of them until
	// timeoutMs.
	NoFailFast bool
	// Transports run every case over each of them in turn; none means
	// Exec only, the one transport every resolver speaks. Plugin and
	// Agent need a target built on the execref SDK (see TransportsFor):
	// Suite refuses them for another (ErrTransport).
	Transports []Transport
}

// transports are the transports to run, Exec when none is given.
func (o Options) transports() []Transport {
	if len(o.Transports) == 0 {
		return []Transport{Exec}
	}
	return o.Transports
}

// selects tells whether the options select a case.
func (o Options) selects(id string) bool {
	return (o.Run == nil || o.Run.MatchString(id)) && (o.Skip == nil || !o.Skip.MatchString(id))
}

// Report is the outcome of one run of the suite.
type Report struct {
	Target  string `json:"target"`
	Fixture string `json:"fixture,omitempty"`
	// Transports are those the cases ran over, in order.
	Transports []Transport `json:"transports"`
	// Warnings are the fixture's (see Fixture.Warnings).
	Warnings []string      `json:"warnings,omitempty"`
	Results  []Result      `json:"results"`
	Duration time.Duration `json:"durationNs"`
}

// Result is one case's outcome. Reason never contains a fixture value.
type Result struct {
	ID        string    `json:"id"`
	Transport Transport `json:"transport"`
	Rationale string    `json:"rationale"`
	Optional  bool      `json:"optional,omitempty"`
	Status    Status    `json:"status"`
	Reason    string    `json:"reason,omitempty"`
	// Cause is the root cause of a failure, or of a case not run, in
	// words shared by every case it affects (see Report.Groups).
	Cause string `json:"cause,omitempty"`
	// Warnings are what the target did that the gateway accepts but other
	// hosts may not; they do not fail the case.
	Warnings []string      `json:"warnings,omitempty"`
	Duration time.Duration `json:"durationNs"`
}

// OK reports whether every required case that ran passed.
func (r *Report) OK() bool {
	for _, res := range r.Results {
		if res.Status == Fail && !res.Optional {
			return false
		}
	}
	return true
}

// Suite runs the selected cases against the target one after the other,
// over each transport of opts in turn. When the gateway's command-path
// policy refuses the target, INSTALL-001 reports it (selected or not) and
// no other case runs. A transport the target cannot speak is refused
// before anything runs: an error wrapping ErrTransport that says why.
func Suite(ctx context.Context, f *Fixture, opts Options) (*Report, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	p, err := f.provider(opts.Command)
	if err != nil {
		return nil, err
	}
	// A command the policy refuses is INSTALL-001's to explain.
	if checkInstall(f.Name, p) == nil {
		for _, t := range opts.transports() {
			if ok, why := speaks(p.Command, t); !ok {
				return nil, &TransportError{t, why}
			}
		}
	}
	report := &Report{Target: p.Command, Fixture: f.path, Transports: opts.transports(), Warnings: f.Warnings()}
	start := time.Now()
	for _, t := range opts.transports() {
		s, err := newSession(ctx, f, opts, t)
		if err != nil {
			return nil, err
		}
		for _, tc := range s.order(Cases()) {
			if opts.selects(tc.ID) || (s.refused != nil && tc.ID == installCaseID) {
				report.Results = append(report.Results, s.run(tc))
			}
		}
		s.close()
	}
	report.Duration = time.Since(start)
	return report, nil
}

// provider is the fixture's block with the target's command, made
// absolute: a relative fixture command is relative to the fixture file.
func (f *Fixture) provider(command string) (host.Provider, error) {
	p := f.Provider
	p.Source = "exec"
	switch {
	case command != "":
		p.Command = command
	case p.Command != "" && !filepath.IsAbs(p.Command):
		p.Command = filepath.Join(f.dir, p.Command)
	}
	if p.Command == "" {
		return p, fmt.Errorf("%w: no command: set provider.command or pass the target", ErrFixture)
	}
	abs, err := filepath.Abs(p.Command)
	if err != nil {
		return p, err
	}
	p.Command = abs
	if err := p.Validate(); err != nil {
		return p, fmt.Errorf("%w: provider: %w", ErrFixture, err)
	}
	return p, nil
}

// redactor scrubs every expected value from what the suite reports.
func (f *Fixture) redactor() *redact.Redactor {
	red := &redact.Redactor{}
	for _, v := range f.Values {
		red.Add(v)
	}
	return red
}

// runner runs the target in the gateway's environment.
func (f *Fixture) runner() *host.Runner {
	env := f.gatewayEnv()
	return &host.Runner{LookupEnv: func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}}
}
