package main

import (
	"fmt"
	"time"

	"github.com/execref/execref/sdk/sdktest/transportbench"
	"github.com/execref/execref/tools/internal/benchcompare"
)

// serverCPU reads a backend server's own CPU time, which the figures leave
// out although it shares the machine's cores with the resolvers: on a
// small machine a batch's time can be the server's more than either
// resolver's.
type serverCPU struct {
	name    string
	pid     int
	lastCPU time.Duration
}

func newServerCPU(name string, pid int) (*serverCPU, error) {
	s := &serverCPU{name: name, pid: pid}
	cpu, err := s.read()
	s.lastCPU = cpu
	return s, err
}

func (s *serverCPU) read() (time.Duration, error) {
	cpu, ok := transportbench.ProcessCPU(s.pid)
	if !ok {
		return 0, fmt.Errorf("%s's CPU time cannot be read from /proc/%d/stat", s.name, s.pid)
	}
	return cpu, nil
}

// since is the CPU time spent since the previous call.
func (s *serverCPU) since() (time.Duration, error) {
	cpu, err := s.read()
	if err != nil {
		return 0, err
	}
	spent := cpu - s.lastCPU
	s.lastCPU = cpu
	return spent, nil
}

// note is the server's CPU time since the previous note, over every batch
// of the row (each side's unmeasured first run, its timed runs and its
// runs under GNU time), and per batch: both sides read the same items.
func (s *serverCPU) note(r benchcompare.Result) (string, error) {
	spent, err := s.since()
	if err != nil {
		return "", err
	}
	batches := 2 + r.A.Runs + r.B.Runs + r.A.MemoryRuns + r.B.MemoryRuns
	return fmt.Sprintf("%s itself (not in the figures): %s of CPU over the row's %d batches of both resolvers, %s a batch on average",
		s.name, spent.Round(time.Millisecond), batches, (spent / time.Duration(batches)).Round(100*time.Microsecond)), nil
}
