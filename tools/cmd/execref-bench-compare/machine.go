package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// machine says where and when the figures were taken: the run's
// conditions belong next to its figures (a busy machine skews them).
type machine struct {
	start, end         time.Time
	loadStart, loadEnd string
	cpu                string
	memory             string
	kernel             string
	commit             string
}

func describeMachine() *machine {
	m := &machine{start: time.Now().UTC(), loadStart: loadAverage()}
	m.cpu = cpuModel()
	m.memory = memTotal()
	m.kernel = strings.TrimSpace(output("uname", "-sr"))
	m.commit = strings.TrimSpace(output("git", "describe", "--always", "--dirty", "--exclude", "*"))
	return m
}

func (m *machine) finish() {
	m.end, m.loadEnd = time.Now().UTC(), loadAverage()
}

// String is the report's paragraph about the machine.
func (m *machine) String() string {
	return fmt.Sprintf("Taken on %s (%s of runs) at commit %s, on %d CPUs (%s), %s, %s, %s. "+
		"Load average (1 min) %s at the start, %s at the end.",
		m.start.Format("2 January 2006 15:04 UTC"), m.end.Sub(m.start).Round(time.Second), m.commit,
		runtime.NumCPU(), m.cpu, m.memory, m.kernel, runtime.Version(), m.loadStart, m.loadEnd)
}

func output(name string, args ...string) string {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		return "unknown " + name
	}
	return string(out)
}

func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

func cpuModel() string {
	data, _ := os.ReadFile("/proc/cpuinfo")
	for line := range bytes.Lines(data) {
		if k, v, ok := strings.Cut(string(line), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func memTotal() string {
	data, _ := os.ReadFile("/proc/meminfo")
	for line := range bytes.Lines(data) {
		if v, ok := strings.CutPrefix(string(line), "MemTotal:"); ok {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d kB", &kb); err == nil {
				return fmt.Sprintf("%.0f GiB", float64(kb)/(1<<20))
			}
		}
	}
	return "unknown memory"
}
