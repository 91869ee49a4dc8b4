//go:build !linux

package transportbench

import "time"

// processCPU needs /proc; elsewhere the long-lived processes' CPU time is
// not reported.
func processCPU(int) (time.Duration, bool) { return 0, false }

func childRunning(string, string) (int, bool) { return 0, false }
