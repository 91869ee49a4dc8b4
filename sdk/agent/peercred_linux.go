package agent

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// peerUID is the uid of the process at the other end of a connected unix
// socket, as the kernel recorded it at connect (SO_PEERCRED).
func peerUID(raw syscall.RawConn) (int, error) {
	var uid int
	var sockErr error
	err := raw.Control(func(fd uintptr) {
		cred, err := unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
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
