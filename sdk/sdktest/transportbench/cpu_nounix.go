//go:build !unix

package transportbench

import "time"

func childrenCPU() (time.Duration, bool) { return 0, false }
