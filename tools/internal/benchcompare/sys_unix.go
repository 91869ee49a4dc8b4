//go:build unix

package benchcompare

import (
	"os"
	"runtime"
	"syscall"
)

// processGroup puts a side's process in a group of its own, as the
// gateway does, so that one kill also reaches what it started.
func processGroup() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// killGroup sends SIGKILL to the process's group, and to the process in
// case it left the group. Errors mean nothing was left to kill.
func killGroup(p *os.Process) {
	_ = syscall.Kill(-p.Pid, syscall.SIGKILL)
	_ = p.Kill()
}

// maxRSSUnit is what one unit of ru_maxrss is, in bytes: kibibytes on
// Linux and the BSDs, bytes on macOS (getrusage(2) of each).
var maxRSSUnit = func() int64 {
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return 1
	}
	return 1024
}()

// peakRSS is the process's peak resident set in bytes: ru_maxrss, which
// covers the process and the descendants it waited for.
func peakRSS(st *os.ProcessState) int64 {
	ru, ok := st.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	return int64(ru.Maxrss) * maxRSSUnit
}
