//go:build !unix

package plugin

import (
	"os"
	"syscall"
)

func processGroup() *syscall.SysProcAttr { return nil }

func killGroup(p *os.Process) { _ = p.Kill() }

func exitStatus(s *os.ProcessState) (int, string) { return s.ExitCode(), "" }
