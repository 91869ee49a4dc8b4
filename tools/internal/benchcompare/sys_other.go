//go:build !unix

package benchcompare

import (
	"os"
	"syscall"
)

// Elsewhere than on Unix a side's process is killed alone and no peak
// resident set is known (PeakRSS stays 0): the benchmark is meant for
// the platforms the resolvers ship for.

func processGroup() *syscall.SysProcAttr { return nil }

func killGroup(p *os.Process) { _ = p.Kill() }

func peakRSS(*os.ProcessState) int64 { return 0 }
