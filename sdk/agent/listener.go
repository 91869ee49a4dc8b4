package agent

import (
	"net"
	"os"
	"syscall"
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
	for {
		conn, err := l.UnixListener.AcceptUnix()
		if err != nil {
			return nil, err
		}
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
