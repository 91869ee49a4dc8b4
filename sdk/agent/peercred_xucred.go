//go:build darwin || freebsd

package agent

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// peerUID is the uid of the process at the other end of a connected unix
// socket (LOCAL_PEERCRED, what getpeereid(3) reads).
func peerUID(raw syscall.RawConn) (int, error) {
	var uid int
	var sockErr error
	err := raw.Control(func(fd uintptr) {
		cred, err := unix.GetsockoptXucred(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
		if err != nil {
			sockErr = err
			return
		}
		uid = int(cred.Uid)
	})
	if err != nil {
		return 0, err
	}
	return uid, sockErr
}
