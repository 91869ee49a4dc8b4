package host

import (
	"context"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/execref/execref/sdk/policy"
)

// Runner runs exec providers. The zero value runs them with the current
// process's environment as the gateway's.
type Runner struct {
	// LookupEnv reads the gateway's own environment, the source of passEnv
	// values. Nil means os.LookupEnv.
	LookupEnv func(string) (string, bool)
}

// Run is what one execution produced.
type Run struct {
	// Command is the absolute path that ran.
	Command string
	// Stdout and Stderr hold what the resolver wrote, at most
	// maxOutputBytes of both together: collection stops at the limit.
	Stdout, Stderr []byte
	// ExitCode is the exit status, -1 when a signal ended the process.
	ExitCode int
	// Signal names the signal that ended the process, e.g. "SIGKILL".
	Signal string
	// Duration is the time from start until the run was over (process
	// reaped and both pipes closed).
	Duration time.Duration
}

// Exec runs provider p once, as the gateway does, with stdin as its
// input. It trims and checks the command (the policy runs before every
// run), starts it without a shell in its own process group, and enforces
// the provider's limits. A policy failure is returned as the *policy.Error
// it is; a failure of the run as a *ProviderError, in the gateway's order:
// timeout, no-output timeout, output limit, then a non-zero exit or a
// signal. Once the process started the Run is returned too, even with an
// error, for diagnostics.
func (r *Runner) Exec(ctx context.Context, name string, p Provider, stdin []byte) (*Run, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	abs, err := r.checkedCommand(name, p)
	if err != nil {
		return nil, err
	}
	return r.run(ctx, name, abs, p, stdin)
}

// checkedCommand trims the command and applies the gateway's policy to it.
func (r *Runner) checkedCommand(name string, p Provider) (string, error) {
	abs := CommandPath(p.Command)
	if err := policy.CheckCommand(name, abs, p.TrustedDirs); err != nil {
		return "", err
	}
	return abs, nil
}

// run starts an already checked command and supervises it to the end.
func (r *Runner) run(ctx context.Context, name, abs string, p Provider, stdin []byte) (*Run, error) {
	if err := ctx.Err(); err != nil {
		return nil, &ProviderError{Provider: name, Err: err}
	}
	pp, err := newPipes()
	if err != nil {
		return nil, &ProviderError{Provider: name, Err: ErrStart, Cause: err}
	}
	cmd := &exec.Cmd{
		Path:        abs,
		Args:        append([]string{abs}, p.Args...),
		Env:         ChildEnv(p, r.lookupEnv()),
		Dir:         filepath.Dir(abs),
		Stdin:       pp.stdinR,
		Stdout:      pp.stdoutW,
		Stderr:      pp.stderrW,
		SysProcAttr: newProcessGroup(),
	}
	start := time.Now()
	err = cmd.Start()
	pp.closeChildEnds()
	if err != nil {
		pp.closeParentEnds()
		return nil, &ProviderError{Provider: name, Err: ErrStart, Cause: err}
	}
	go feed(pp.stdinW, stdin)

	lim := p.Limits()
	w := newWatch(lim, cmd.Process)
	w.supervise(ctx, pp.stdoutR, pp.stderrR, cmd.Wait)
	pp.closeParentEnds()

	run := &Run{Command: abs, Stdout: w.stdout, Stderr: w.stderr, Duration: time.Since(start)}
	run.ExitCode, run.Signal = exitStatus(cmd.ProcessState)
	return run, w.err(name, run)
}
