//go:build unix

package transportbench

import (
	"syscall"
	"time"
)

// childrenCPU is the CPU time of every child process of this one that
// has been waited for: the cold runs, and the exec side of agent runs.
func childrenCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
