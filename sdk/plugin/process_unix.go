//go:build unix

package plugin

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// processGroup puts the resolver in a process group of its own, as the
// exec host does, so that one kill reaches everything it started.
func processGroup() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// killGroup sends SIGKILL to the resolver's group and to the resolver.
// Errors mean there was nothing left to kill.
func killGroup(p *os.Process) {
	_ = syscall.Kill(-p.Pid, syscall.SIGKILL)
	_ = p.Kill()
}

// exitStatus is the exit code, or -1 and the signal's name (as Node names
// it, e.g. "SIGKILL") when a signal ended the process.
func exitStatus(s *os.ProcessState) (int, string) {
	if ws, ok := s.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return -1, unix.SignalName(ws.Signal())
	}
	return s.ExitCode(), ""
}
