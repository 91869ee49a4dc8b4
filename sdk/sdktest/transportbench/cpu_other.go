//go:build !linux

package transportbench

import "time"

// ProcessCPU needs /proc; elsewhere a running process's CPU time is
// not reported.
func ProcessCPU(int) (time.Duration, bool) { return 0, false }

func childRunning(string, string) (int, bool) { return 0, false }
