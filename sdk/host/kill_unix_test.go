//go:build unix

package host

import "syscall"

func killPid(pid int) error { return syscall.Kill(pid, syscall.SIGKILL) }
