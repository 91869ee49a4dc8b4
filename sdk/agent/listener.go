package agent

import (
	"errors"
	"net"
	"os"
	"syscall"
	"time"
)

// peerListener hands the agent only the connections made by the agent's own
// uid. The socket's mode already keeps others out; this holds even when
// the mode was changed afterwards, or for root, whose connections are
// refused too (a root process that wants the user's secrets has other
// ways, and need not be served them by this one).
type peerListener struct {
	*net.UnixListener
	logf func(string, ...any)
}

func (l *peerListener) Accept() (net.Conn, error) {
	var delay time.Duration
	for {
		conn, err := l.UnixListener.AcceptUnix()
		if err != nil {
			if delay = acceptRetryDelay(err, delay); delay > 0 {
				l.logf("accepting a connection: %v; trying again in %s", err, delay)
				time.Sleep(delay)
				continue
			}
			return nil, err
		}
		delay = 0
		uid, err := connPeerUID(conn)
		if err == nil && uid == os.Getuid() {
			return conn, nil
		}
		// Closed before the agent reads a byte: the peer learns nothing.
		conn.Close()
		if err != nil {
			l.logf("refused a connection whose peer credentials could not be read: %v", err)
		} else {
			l.logf("refused a connection from uid %d: the agent serves uid %d only", uid, os.Getuid())
		}
	}
}

func connPeerUID(conn interface {
	SyscallConn() (syscall.RawConn, error)
}) (int, error) {
	raw, err := conn.SyscallConn()
	if err != nil {
		return 0, err
	}
	return peerUID(raw)
}

// acceptRetryDelay is how long to wait before accepting again after err,
// following last's delay, or 0 when err ends serving. Running out of
// descriptors or memory, or a peer that went away while queued, passes:
// the agent must not stop on it (its callers would all resolve cold
// until someone restarts it). The delay doubles from 5 ms to 1 s, as
// net/http's server does.
func acceptRetryDelay(err error, last time.Duration) time.Duration {
	for _, transient := range []syscall.Errno{syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM, syscall.ECONNABORTED, syscall.EINTR} {
		if errors.Is(err, transient) {
			return min(max(2*last, 5*time.Millisecond), time.Second)
		}
	}
	return 0
}
