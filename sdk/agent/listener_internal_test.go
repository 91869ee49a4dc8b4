//go:build linux || darwin || freebsd

package agent

import (
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"
	"time"
)

// Running out of descriptors or a peer gone while queued does not stop
// the agent: it accepts again, later each time up to a second; a closed
// listener or any other error ends serving.
func TestAcceptRetryDelay(t *testing.T) {
	emfile := &net.OpError{Op: "accept", Net: "unix", Err: os.NewSyscallError("accept4", syscall.EMFILE)}
	for _, c := range []struct {
		err  error
		last time.Duration
		want time.Duration
	}{
		{emfile, 0, 5 * time.Millisecond},
		{emfile, 5 * time.Millisecond, 10 * time.Millisecond},
		{emfile, 800 * time.Millisecond, time.Second},
		{emfile, time.Second, time.Second},
		{fmt.Errorf("wrapped: %w", syscall.ECONNABORTED), 0, 5 * time.Millisecond},
		{net.ErrClosed, 0, 0},
		{&net.OpError{Op: "accept", Net: "unix", Err: syscall.EINVAL}, 5 * time.Millisecond, 0},
	} {
		if got := acceptRetryDelay(c.err, c.last); got != c.want {
			t.Errorf("acceptRetryDelay(%v, %s) = %s, want %s", c.err, c.last, got, c.want)
		}
	}
}
