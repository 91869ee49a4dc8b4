package onepassword

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"time"

	"github.com/execref/execref/protocol"
)

// Output limits for one op call. A value the gateway could take is at
// most its maxOutputBytes, 1 MiB by default; an inject answers a whole
// batch. Past a limit op is killed and the call fails.
const (
	maxReadBytes   = 4 << 20
	maxInjectBytes = 64 << 20
	maxStderrBytes = 64 << 10
)

// errOpStart is an op that could not be started at all (deleted since it
// was found, or not executable): a configuration problem, not a per-id one.
var errOpStart = errors.New("could not start op")

// runOp runs op with args and stdin under ctx, in a process group of its
// own that is killed with it, so that nothing op starts outlives the call.
// It returns stdout, or an *opError (or errOpStart) saying why not.
func runOp(ctx context.Context, op string, env []string, stdin []byte, limit int, what string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, op, args...)
	cmd.Env = env
	cmd.Stdin = bytes.NewReader(stdin)
	stdout := &cappedBuffer{limit: limit}
	stderr := &cappedBuffer{limit: maxStderrBytes}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	// A daemon op leaves behind holding our pipes must not hold us.
	cmd.WaitDelay = 200 * time.Millisecond
	inOwnGroup(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%w %s: %w", errOpStart, op, err)
	}
	err := cmd.Wait()
	switch {
	case ctx.Err() != nil:
		return nil, &opError{code: protocol.Timeout, msg: what + " did not finish in time and was stopped"}
	case stdout.over:
		return nil, &opError{code: protocol.InvalidValue, msg: fmt.Sprintf("%s printed more than %d bytes", what, limit)}
	case errors.Is(err, exec.ErrWaitDelay):
		// op exited, but its output was still being read WaitDelay later
		// (something op started holds the pipes, or the machine is too
		// busy to read them): stdout may be cut short, so it is never
		// used.
		return nil, &opError{code: protocol.Unavailable, again: true, msg: fmt.Sprintf("%s exited, but its output could not be read in full within %s", what, cmd.WaitDelay)}
	case err != nil:
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return nil, &opError{code: protocol.Unavailable, again: true, msg: fmt.Sprintf("%s: %v", what, err)}
		}
		exit := ee.ExitCode()
		if exit == -1 {
			// Killed by a signal that was not ours (ctx is not done).
			msg, _ := opMessage(stderr.Bytes())
			if msg == "" {
				msg = "no message on stderr"
			}
			return nil, &opError{code: protocol.Unavailable, again: true, msg: fmt.Sprintf("%s was killed (%v): %s", what, ee, msg)}
		}
		return nil, classifyOp(what, exit, stderr.Bytes())
	}
	return stdout.Bytes(), nil
}

// cappedBuffer is a buffer that keeps at most limit bytes and notes the excess.
type cappedBuffer struct {
	bytes.Buffer
	limit int
	over  bool
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if room := c.limit - c.Len(); len(p) > room {
		c.over = true
		if room > 0 {
			c.Buffer.Write(p[:room])
		}
		return len(p), nil
	}
	return c.Buffer.Write(p)
}
