package benchcompare

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/execref/execref/sdk/host"
)

// errSiblingFailed ends the other processes of a side once one failed;
// it is never reported, the first failure is.
var errSiblingFailed = errors.New("another process of the side failed")

// memoryRuns is how many runs of each side under GNU time measure its
// memory, after the timed runs: peak resident sets vary far less than
// times.
const memoryRuns = 3

// A pairRunner runs the sides of one pair.
type pairRunner struct {
	ctx     context.Context
	pair    Pair
	timeout time.Duration
}

func runPair(ctx context.Context, p Pair, o Options) (Result, error) {
	if err := validatePair(p); err != nil {
		return Result{}, err
	}
	runs := o.Runs
	if p.Runs > 0 {
		runs = p.Runs
	}
	maxTime := o.MaxTime
	if p.MaxTime > 0 {
		maxTime = p.MaxTime
	}
	minRuns := min(o.MinRuns, runs)
	r := pairRunner{ctx: ctx, pair: p, timeout: o.Timeout}
	sides := [2]Side{p.A, p.B}

	begin := time.Now()
	for i := range sides {
		if _, err := r.runSide(sides[i], true, false); err != nil {
			return Result{}, err
		}
	}
	// Rounds alternate A B, B A, … so that both sides see the machine
	// alike; each round leaves both with the same number of runs.
	var samples [2][]Sample
	for round := 0; len(samples[0]) < runs; round++ {
		if err := ctx.Err(); err != nil {
			return Result{}, fmt.Errorf("%s / %s: %w", p.Section, p.Case, err)
		}
		order := [2]int{0, 1}
		if round%2 == 1 {
			order = [2]int{1, 0}
		}
		for _, i := range order {
			s, err := r.runSide(sides[i], false, false)
			if err != nil {
				return Result{}, err
			}
			samples[i] = append(samples[i], s)
		}
		if len(samples[0]) >= minRuns && time.Since(begin) >= maxTime {
			break
		}
	}
	// Memory comes from runs of their own under GNU time, which costs
	// its own start (milliseconds on a VM): timed with the others, it
	// would add the same constant to both sides and flatter the slower
	// one's ratio. Without GNU time the timed runs' figures are used,
	// upper bounds on Linux.
	var memory [2][]Sample
	if timeLauncher() {
		for range min(memoryRuns, len(samples[0])) {
			for i := range sides {
				s, err := r.runSide(sides[i], false, true)
				if err != nil {
					return Result{}, err
				}
				memory[i] = append(memory[i], s)
			}
		}
	}

	res := Result{
		Section: p.Section,
		Case:    p.Case,
		IDs:     p.IDs,
		A:       summarize(p.A, samples[0], memory[0]),
		B:       summarize(p.B, samples[1], memory[1]),
	}
	res.WallRatio = ratio(float64(res.A.Wall.Median), float64(res.B.Wall.Median))
	res.RSSRatio = ratio(float64(res.A.PeakRSS.Median), float64(res.B.PeakRSS.Median))
	for _, t := range p.Targets {
		figure, met := t.Eval(res)
		res.Targets = append(res.Targets, TargetResult{Name: t.Name, Figure: figure, Met: met})
	}
	if p.After != nil {
		note, err := p.After(res)
		if err != nil {
			return Result{}, fmt.Errorf("%s / %s: after the runs: %w", p.Section, p.Case, err)
		}
		res.Note = note
	}
	if o.Progress != nil {
		fmt.Fprintln(o.Progress, progressLine(res))
	}
	return res, nil
}

// validatePair refuses, before anything runs, a pair whose runs could not
// be measured or checked.
func validatePair(p Pair) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%s / %s: %w: %s", p.Section, p.Case, ErrInvalidPair, fmt.Sprintf(format, args...))
	}
	for _, s := range []Side{p.A, p.B} {
		if len(s.Procs) == 0 {
			return bad("side %q has no processes", s.Name)
		}
		for i, pr := range s.Procs {
			if pr.Check == nil {
				return bad("side %q, process %d has no Check: every answer must be checked", s.Name, i+1)
			}
			if c := host.CommandPath(pr.Provider.Command); !filepath.IsAbs(c) {
				return bad("side %q, process %d: command %q is not an absolute path (the gateway runs only those)", s.Name, i+1, c)
			}
		}
	}
	for _, t := range p.Targets {
		if t.Eval == nil {
			return bad("target %q has no Eval", t.Name)
		}
	}
	return nil
}

// runSide starts the side's processes (at most Parallel at once), waits
// for all of them, then checks every answer. The wall time runs from
// just before the first start to the last exit; the checks are outside
// it.
//
// underTime starts each process under GNU time, for its peak resident
// set; the run's wall time then includes time's own start.
func (r *pairRunner) runSide(s Side, warmup, underTime bool) (Sample, error) {
	timeoutCtx, cancelTimeout := context.WithTimeout(r.ctx, r.timeout)
	defer cancelTimeout()
	sideCtx, cancel := context.WithCancelCause(timeoutCtx)
	defer cancel(nil)
	stopped := func() error {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		if timeoutCtx.Err() != nil {
			return fmt.Errorf("%w after %v; its processes were killed", ErrTimeout, r.timeout)
		}
		return errSiblingFailed
	}

	n := len(s.Procs)
	slots := s.Parallel
	if slots <= 0 || slots > n {
		slots = n
	}
	sem := make(chan struct{}, slots)
	runs := make([]procRun, n)
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed = -1
	)
	resetOwnPeak()
	begin := time.Now()
	for i := range s.Procs {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			runs[i] = runProc(sideCtx, s.Procs[i], stopped, underTime)
			if runs[i].err != nil {
				mu.Lock()
				if failed < 0 {
					failed = i
					cancel(errSiblingFailed)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	wall := time.Since(begin)
	bound := ownPeak()

	if failed >= 0 {
		return Sample{}, r.runError(s, warmup, failed, runs[failed].stderr, runs[failed].err)
	}
	sample := Sample{Wall: wall, RSSBound: bound}
	for i, run := range runs {
		if err := s.Procs[i].Check(run.stdout); err != nil {
			return Sample{}, r.runError(s, warmup, i, run.stderr, fmt.Errorf("%w: %w", ErrCheck, err))
		}
		if check := s.Procs[i].CheckStderr; check != nil {
			if err := check(run.stderrAll); err != nil {
				return Sample{}, r.runError(s, warmup, i, run.stderr, fmt.Errorf("%w: stderr: %w", ErrCheck, err))
			}
		}
		sample.CPU += run.cpu
		bounded := !run.exact && run.rss <= bound
		if run.rss >= sample.PeakRSS {
			// The largest figure is the process's own when exact or
			// above the bound, and then no other process's own peak
			// exceeds it.
			sample.PeakRSS, sample.PeakRSSAtMost = run.rss, bounded
		}
		sample.SumRSS += run.rss
		sample.SumRSSAtMost = sample.SumRSSAtMost || bounded
	}
	return sample, nil
}

func (r *pairRunner) runError(s Side, warmup bool, i int, stderr string, err error) *RunError {
	return &RunError{
		Section: r.pair.Section,
		Case:    r.pair.Case,
		Side:    s.Name,
		Proc:    i,
		Procs:   len(s.Procs),
		Command: filepath.Base(host.CommandPath(s.Procs[i].Provider.Command)),
		Warmup:  warmup,
		Stderr:  stderr,
		Err:     err,
	}
}

// ratio is a/b, or 0 when b is 0 (no figure: a platform without peak
// RSS), so that a Result always encodes as JSON.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
