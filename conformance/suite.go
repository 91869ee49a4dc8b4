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
}

// Report is the outcome of one run of the suite.
type Report struct {
	Target   string        `json:"target"`
	Fixture  string        `json:"fixture,omitempty"`
	Results  []Result      `json:"results"`
	Duration time.Duration `json:"durationNs"`
}

// Result is one case's outcome. Reason never contains a fixture value.
type Result struct {
	ID        string        `json:"id"`
	Rationale string        `json:"rationale"`
	Optional  bool          `json:"optional,omitempty"`
	Status    Status        `json:"status"`
	Reason    string        `json:"reason,omitempty"`
	Duration  time.Duration `json:"durationNs"`
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

// Suite runs the selected cases against the target one after the other.
func Suite(ctx context.Context, f *Fixture, opts Options) (*Report, error) {
	provider, err := f.provider(opts.Command)
	if err != nil {
		return nil, err
	}
	red := f.redactor()
	report := &Report{Target: provider.Command, Fixture: f.path}
	start := time.Now()
	for _, tc := range Cases() {
		if (opts.Run != nil && !opts.Run.MatchString(tc.ID)) || (opts.Skip != nil && opts.Skip.MatchString(tc.ID)) {
			continue
		}
		report.Results = append(report.Results, runCase(ctx, tc, f, provider, red))
	}
	report.Duration = time.Since(start)
	return report, nil
}

func runCase(ctx context.Context, tc Case, f *Fixture, p host.Provider, red *redact.Redactor) Result {
	c := &checker{ctx: ctx, fixture: f, provider: p, runner: f.runner(), red: red}
	start := time.Now()
	tc.check(c)
	res := Result{ID: tc.ID, Rationale: tc.Rationale, Optional: tc.Optional, Status: Pass, Duration: time.Since(start)}
	switch {
	case len(c.failures) > 0:
		res.Status, res.Reason = Fail, joinReasons(c.failures)
	case c.skipped != "":
		res.Status, res.Reason = Skip, c.skipped
	}
	return res
}

func joinReasons(rs []string) string {
	const most = 5
	out := ""
	for i, r := range rs {
		if i == most {
			return out + fmt.Sprintf("; and %d more", len(rs)-most)
		}
		if i > 0 {
			out += "; "
		}
		out += r
	}
	return out
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
