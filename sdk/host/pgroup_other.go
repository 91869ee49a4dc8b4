//go:build !unix

package host

import (
	"os"
	"syscall"
)

// Without process groups only the resolver itself can be killed.
func newProcessGroup() *syscall.SysProcAttr { return nil }

func killGroup(p *os.Process) { _ = p.Kill() }

func exitStatus(s *os.ProcessState) (int, string) {
	if s == nil {
		return -1, ""
	}
	return s.ExitCode(), ""
}
