package benchcompare

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/execref/execref/sdk/host"
)

const (
	// stderrTail is how much of a process's stderr is kept for an
	// error message: the end, where the reason for a failure is.
	stderrTail = 4 << 10
	// stdoutLimit is the most stdout kept, the largest maxOutputBytes
	// the gateway's schema allows: an answer beyond it could never
	// reach the gateway, and a runaway writer must not eat the memory.
	stdoutLimit = host.MaxOutputBytesLimit
	// waitDelay bounds the wait for a process's output to close once
	// it exited or was killed: a process it started that still holds
	// stdout must not hang the benchmark.
	waitDelay = time.Second
	// stderrKept is how much of stderr CheckStderr sees: the gateway's
	// default maxOutputBytes.
	stderrKept = host.DefaultMaxOutputBytes
)

// A procRun is what one process of a side left behind.
type procRun struct {
	stdout []byte
	// stderr is the tail of stderr, for error messages; stderrAll its
	// first stderrKept bytes when the Proc has CheckStderr.
	stderr    string
	stderrAll []byte
	cpu       time.Duration
	rss       int64
	// exact says rss is the process's own (measured by GNU time), not
	// ru_maxrss as Go's wait sees it (see ownpeak_linux.go).
	exact bool
	// err is nil or one of the sentinels, wrapped with the detail.
	err error
}

// lookupNothing is the gateway's environment as a side sees it: empty,
// so that nothing of the bench's own environment leaks into a side
// through passEnv.
func lookupNothing(string) (string, bool) { return "", false }

// runProc starts one process as the gateway starts a provider's command
// and waits for it. When ctx ends first, the process group is killed and
// stopped says why the run ended.
func runProc(ctx context.Context, pr Proc, stopped func() error, underTime bool) procRun {
	abs := host.CommandPath(pr.Provider.Command)
	stdout := &cappedBuffer{limit: stdoutLimit}
	stderr := &tailBuffer{max: stderrTail}
	var stderrAll *cappedBuffer
	var stderrW io.Writer = stderr
	if pr.CheckStderr != nil {
		stderrAll = &cappedBuffer{limit: stderrKept}
		stderrW = io.MultiWriter(stderr, stderrAll)
	}
	cmd := exec.CommandContext(ctx, abs)
	cmd.Path = abs
	cmd.Args = append([]string{abs}, pr.Provider.Args...)
	cmd.Env = host.ChildEnv(pr.Provider, lookupNothing)
	cmd.Dir = filepath.Dir(abs)
	cmd.Stdin = bytes.NewReader(pr.Stdin)
	cmd.Stdout = stdout
	cmd.Stderr = stderrW
	cmd.SysProcAttr = processGroup()
	cmd.Cancel = func() error {
		killGroup(cmd.Process)
		return nil
	}
	cmd.WaitDelay = waitDelay
	launchedRSS, done := func() (int64, bool) { return 0, false }, func() {}
	if underTime {
		launchedRSS, done = launch(cmd, abs, pr.Provider.Args)
	}
	defer done()

	if err := cmd.Start(); err != nil {
		if ctx.Err() != nil {
			return procRun{err: stopped()}
		}
		return procRun{err: fmt.Errorf("%w: %v", ErrStart, err)}
	}
	werr := cmd.Wait()

	run := procRun{stdout: stdout.buf.Bytes(), stderr: stderr.String()}
	if stderrAll != nil {
		run.stderrAll = stderrAll.buf.Bytes()
	}
	if st := cmd.ProcessState; st != nil {
		run.cpu = st.UserTime() + st.SystemTime()
		run.rss = peakRSS(st)
		if rss, ok := launchedRSS(); ok {
			run.rss, run.exact = rss, true
		}
	}
	var exitErr *exec.ExitError
	switch {
	case werr != nil && ctx.Err() != nil:
		run.err = stopped()
	case errors.Is(werr, exec.ErrWaitDelay):
		// Whatever still holds the pipes is in the group, unless it
		// left it: do not leave it running.
		killGroup(cmd.Process)
		run.err = fmt.Errorf("%w: it exited, but its stdout or stderr stayed open for %v after (a process it started still holds them)", ErrOpenPipes, waitDelay)
	case errors.As(werr, &exitErr):
		run.err = fmt.Errorf("%w: %s", ErrExit, exitStatus(exitErr.ProcessState))
	case werr != nil:
		run.err = fmt.Errorf("%w: %v", ErrExit, werr)
	case stdout.overflow:
		run.err = fmt.Errorf("%w: stdout exceeded %d bytes, more than the gateway ever reads", ErrOutputLimit, stdoutLimit)
	}
	return run
}

// exitStatus says how a process ended: its exit status, or the signal
// that killed it.
func exitStatus(st *os.ProcessState) string {
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return fmt.Sprintf("killed by signal %d (%v)", int(ws.Signal()), ws.Signal())
	}
	return fmt.Sprintf("exit status %d", st.ExitCode())
}
