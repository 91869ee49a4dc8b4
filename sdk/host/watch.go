package host

import (
	"context"
	"os"
	"time"
)

// drainGrace bounds how long output is still read after the process group
// was killed. Killing the group closes every pipe at once, unless a
// process escaped the group (setsid) and holds them: then reading stops
// after this grace instead of never.
const drainGrace = 250 * time.Millisecond

// reason is why the host ended a run; the first one wins.
type reason int

const (
	reasonNone reason = iota
	reasonTimeout
	reasonNoOutput
	reasonOutputLimit
	reasonContext
)

// watch supervises one run: it collects output, enforces the limits, and
// kills the process group when one is exceeded.
type watch struct {
	lim            Limits
	proc           *os.Process
	reason         reason
	ctxErr         error
	total          int // bytes seen on stdout and stderr together
	stdout, stderr []byte
	drain          <-chan time.Time // fires drainGrace after the kill
}

func newWatch(lim Limits, proc *os.Process) *watch {
	return &watch{lim: lim, proc: proc}
}

// chunk is one read from a pipe; eof marks its end.
type chunk struct {
	stderr bool
	data   []byte
	eof    bool
}

// supervise runs until the process has been reaped and both pipes are
// closed, like the gateway waiting for the child's "close" event.
func (w *watch) supervise(ctx context.Context, stdout, stderr *os.File, wait func() error) {
	events := make(chan chunk)
	go pump(stdout, false, events)
	go pump(stderr, true, events)
	reaped := make(chan struct{})
	go func() {
		_ = wait() // the status is read from the ProcessState afterwards
		close(reaped)
	}()
	exited := (<-chan struct{})(reaped) // nil once seen

	overall := time.NewTimer(ms(w.lim.TimeoutMs))
	defer overall.Stop()
	idle := time.NewTimer(ms(w.lim.NoOutputTimeoutMs))
	defer idle.Stop()
	done := ctx.Done()

	for open := 2; open > 0 || exited != nil; {
		select {
		case c := <-events:
			if c.eof {
				open--
				continue
			}
			w.collect(c)
			if w.reason == reasonNone {
				idle.Reset(ms(w.lim.NoOutputTimeoutMs))
			}
		case <-exited:
			exited = nil
		case <-overall.C:
			w.stop(reasonTimeout)
		case <-idle.C:
			w.stop(reasonNoOutput)
		case <-done:
			w.ctxErr = ctx.Err()
			w.stop(reasonContext)
			done = nil
		case <-w.drain:
			// Unblocks the pumps, which then report EOF.
			closeFiles(stdout, stderr)
			w.drain = nil
		}
	}
}

// collect counts a chunk against maxOutputBytes and keeps what fits.
// Exceeding the limit (strictly) ends the run; the output kept is the head.
func (w *watch) collect(c chunk) {
	room := max(w.lim.MaxOutputBytes-(len(w.stdout)+len(w.stderr)), 0)
	keep := c.data[:min(len(c.data), room)]
	if c.stderr {
		w.stderr = append(w.stderr, keep...)
	} else {
		w.stdout = append(w.stdout, keep...)
	}
	w.total += len(c.data)
	if w.total > w.lim.MaxOutputBytes {
		w.stop(reasonOutputLimit)
	}
}

// stop records why the run ends (the first reason wins), kills the whole
// process group, and bounds the remaining read.
func (w *watch) stop(r reason) {
	if w.reason != reasonNone {
		return
	}
	w.reason = r
	killGroup(w.proc)
	w.drain = time.After(drainGrace)
}

// err is the run's failure, in the gateway's order of checks.
func (w *watch) err(name string, run *Run) error {
	switch w.reason {
	case reasonTimeout:
		return &ProviderError{Provider: name, Err: ErrTimeout, Limit: w.lim.TimeoutMs}
	case reasonNoOutput:
		return &ProviderError{Provider: name, Err: ErrNoOutputTimeout, Limit: w.lim.NoOutputTimeoutMs}
	case reasonOutputLimit:
		return &ProviderError{Provider: name, Err: ErrOutputLimit, Limit: w.lim.MaxOutputBytes}
	case reasonContext:
		return &ProviderError{Provider: name, Err: w.ctxErr}
	}
	if run.ExitCode != 0 || run.Signal != "" {
		return &ProviderError{Provider: name, Err: ErrExit, ExitCode: run.ExitCode, Signal: run.Signal}
	}
	return nil
}

// pump reads one pipe to its end and reports every chunk. The supervisor
// reads events until both pumps reported EOF, so a pump never blocks
// forever on the channel.
func pump(f *os.File, stderr bool, out chan<- chunk) {
	buf := make([]byte, 32<<10)
	for {
		n, err := f.Read(buf)
		if n > 0 {
			out <- chunk{stderr: stderr, data: append([]byte(nil), buf[:n]...)}
		}
		if err != nil {
			out <- chunk{stderr: stderr, eof: true}
			return
		}
	}
}

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }
