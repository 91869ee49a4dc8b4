package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/execref/execref/sdk/agent"
	"github.com/execref/execref/tools/internal/benchcompare"
)

// agentStart bounds starting one agent, until its socket accepts.
const agentStart = 30 * time.Second

// agentPairs compare the gateway's exec run forwarded to a warm agent
// (`--agent SOCKET`) with the same run cold, at every size. One agent per
// backend, started from the same binary with exactly the provider's args
// and environment (agent.StartProcess, as `openclaw-resolver-run agent`
// does), serves every size; each pair's unmeasured first run warms it.
// The exec side runs with --verbose, and a run counts only if its stderr
// says the agent answered: a batch that fell back to resolving cold would
// otherwise pass for an agent's.
func (c *config) agentPairs(ctx context.Context, b *backend) ([]benchcompare.Pair, error) {
	first, _, err := b.ours(c.env.sizes[0])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", b.name, err)
	}
	dir, err := c.env.mkdir("agent-" + b.name)
	if err != nil {
		return nil, err
	}
	socket := filepath.Join(dir, "agent.sock")
	var log bytes.Buffer
	startCtx, cancel := context.WithTimeout(ctx, agentStart)
	defer cancel()
	proc, err := agent.StartProcess(startCtx, agent.ProcessConfig{
		Provider:  first.Provider,
		LookupEnv: noEnv,
		Socket:    socket,
		// Nothing may end the agent between its pairs.
		Flags:  []string{"--idle-timeout", "24h"},
		Stderr: &log,
	})
	if err != nil {
		return nil, fmt.Errorf("%s: starting its agent: %w", b.name, err)
	}
	c.env.onExit(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if proc.Stop(stopCtx) != nil {
			proc.Kill()
		}
	})
	usage := agentUsage{cpu: &serverCPU{name: "the agent", pid: proc.Pid()}}
	var out []benchcompare.Pair
	for _, n := range c.env.sizes {
		cold, _, err := b.ours(n)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", b.name, err)
		}
		warm := cold
		warm.Provider.Args = slices.Concat(cold.Provider.Args, []string{"--agent", socket, "--verbose"})
		warm.CheckStderr = answeredByAgent
		name := filepath.Base(cold.Provider.Command)
		out = append(out, benchcompare.Pair{
			Section: "The agent against a cold run",
			Case:    b.name + ", " + idsCase(n),
			IDs:     n,
			A:       benchcompare.Side{Name: name + " --agent", Procs: []benchcompare.Proc{warm}},
			B:       benchcompare.Side{Name: name + " (cold)", Procs: []benchcompare.Proc{cold}},
			After:   usage.note,
		})
	}
	return out, nil
}

// noEnv is the gateway's environment as the benchmark gives it: nothing
// beyond each provider's env.
func noEnv(string) (string, bool) { return "", false }

var errNotByAgent = errors.New("the exec run did not say the agent answered (it resolved cold)")

func answeredByAgent(stderr []byte) error {
	if !bytes.Contains(stderr, []byte("answered by the agent on ")) {
		return errNotByAgent
	}
	return nil
}

// agentUsage reads the kept agent process's own cost, which the exec
// side's figures leave out: its CPU time since the previous pair and its
// peak resident set so far.
type agentUsage struct{ cpu *serverCPU }

func (u agentUsage) note(benchcompare.Result) (string, error) {
	spent, err := u.cpu.since()
	if err != nil {
		return "", err
	}
	hwm, err := procPeakRSS(u.cpu.pid)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("the agent process itself (not in the figures): %s of CPU over this row's runs, peak RSS %.1f MiB so far",
		spent.Round(time.Millisecond), float64(hwm)/(1<<20)), nil
}

// procPeakRSS is a running process's peak resident set (VmHWM), in bytes.
func procPeakRSS(pid int) (int64, error) {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("/proc/%d/status: VmHWM: %w", pid, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("/proc/%d/status: no VmHWM", pid)
}
