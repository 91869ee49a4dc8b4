//go:build linux

package benchcompare

import (
	"bytes"
	"math"
	"os"
	"runtime/debug"
	"strconv"
)

// On Linux a child's ru_maxrss is at least the peak resident set its
// parent had when it started the child: Go starts children sharing its
// memory until they exec (clone with CLONE_VM), and exec carries the old
// memory's high-water mark into the new program's ru_maxrss. A 2 MiB
// program started by a benchmark that once held 100 MiB reports 100 MiB.
// So before each run the benchmark returns what it can to the system and
// resets its own high-water mark (clear_refs 5, Linux 4.0), and after the
// run it reads that mark back: a process's figure above it is the
// process's own, one at or below it says only "at most this".

// resetOwnPeak brings the benchmark's own high-water mark down to its
// present resident set, as small as it can be made.
func resetOwnPeak() {
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// ownPeak is the benchmark's own high-water mark in bytes (VmHWM). When
// it cannot be read every figure is only a bound: it says so by
// returning the largest value.
func ownPeak() int64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return math.MaxInt64
	}
	for line := range bytes.Lines(status) {
		rest, ok := bytes.CutPrefix(line, []byte("VmHWM:"))
		if !ok {
			continue
		}
		// "VmHWM:	    3324 kB"
		f := bytes.Fields(rest)
		if len(f) != 2 || string(f[1]) != "kB" {
			break
		}
		kib, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil {
			break
		}
		return kib << 10
	}
	return math.MaxInt64
}
