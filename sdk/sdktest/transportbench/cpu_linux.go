package transportbench

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// clockTick is USER_HZ, the unit of /proc/PID/stat's times: 100 on every
// architecture Linux runs Go on.
const clockTick = 10 * time.Millisecond

// ProcessCPU is a running process's user and system time, from
// /proc/PID/stat (fields 14 and 15; the command name, field 2, may hold
// spaces and parentheses, so fields are counted after its last ')').
func ProcessCPU(pid int) (time.Duration, bool) {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, false
	}
	i := strings.LastIndexByte(string(data), ')')
	if i < 0 {
		return 0, false
	}
	// After ')': state (field 3) ... utime is field 14, stime 15.
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * clockTick, true
}

// childRunning is the pid of this process's only living child whose
// executable is command and whose environment holds the variable env
// ("NAME=value"), which tells a go-plugin process from an agent started
// from the same binary.
func childRunning(command, env string) (int, bool) {
	want, err := filepath.EvalSymlinks(command)
	if err != nil {
		return 0, false
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, false
	}
	self := strconv.Itoa(os.Getpid())
	found := 0
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		i := strings.LastIndexByte(string(data), ')')
		f := strings.Fields(string(data[i+1:]))
		// Field 4, the parent's pid, is the second after ')'.
		if i < 0 || len(f) < 2 || f[1] != self {
			continue
		}
		if exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe")); err == nil && exe == want && hasEnv(pid, env) {
			if found != 0 {
				return 0, false // two candidates: not telling which
			}
			found = pid
		}
	}
	return found, found != 0
}

// hasEnv reports whether process pid's initial environment holds env.
func hasEnv(pid int, env string) bool {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "environ"))
	return err == nil && slices.Contains(strings.Split(string(data), "\x00"), env)
}
