//go:build unix

package sdktest

import (
	"os"
	"os/user"
	"strconv"
	"syscall"
	"testing"
)

// Nobody is the credential of the unprivileged user "nobody", for tests
// that run a process as another user (a socket or file of another uid
// must be refused). It skips the test unless it runs as root and the
// system has that user.
func Nobody(tb testing.TB) *syscall.Credential {
	tb.Helper()
	if os.Getuid() != 0 {
		tb.Skip("needs root, to act as another user")
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		tb.Skipf("no user nobody: %v", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
}
