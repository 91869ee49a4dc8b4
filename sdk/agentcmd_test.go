//go:build linux || darwin || freebsd

package sdk_test

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/agent"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// The agent command's command line, and its stops: each one closes the
// backend, which releases what it kept warm.

func TestAgentCommandBadUsage(t *testing.T) {
	bin := installAgentResolver(t, agentFixture(nil, "a"))
	socket := socketPath(t)
	for _, args := range [][]string{
		{"agent", "--bogus"},
		{"agent", "--socket", socket, "--cache-ttl", "-1s"},
		{"agent", "--socket", socket, "--idle-timeout", "soon"},
		{"agent", "--socket", socket, "--idle-timeout", "-1s"},
		{"agent", "--socket", socket, "--idle-timeout", "0s"},
		{"agent", "--socket", socket, "--max-lifetime", "-1h"},
		{"agent", "--socket", socket, "now"},
		{"--bogus", "agent"},
	} {
		// A command line the agent wrongly accepts would serve for ever.
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env, cmd.Dir = []string{}, filepath.Dir(bin)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		cancel()
		if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != sdk.ExitUsage {
			t.Errorf("%q: %v, want exit %d; stderr %q", args, err, sdk.ExitUsage, stderr.String())
			continue
		}
		if lines := strings.Count(stderr.String(), "\n"); lines != 1 || !strings.HasPrefix(stderr.String(), "agent-test-resolver: ") || stdout.Len() != 0 {
			t.Errorf("%q: want one line on stderr and nothing on stdout, got %q and %q", args, stderr.String(), stdout.String())
		}
	}
	if events(t, bin, "agent", "") != nil {
		t.Errorf("a refused command line ran the backend: %q", record(t, bin))
	}
}

func TestAgentCommandHelp(t *testing.T) {
	bin := installAgentResolver(t, agentFixture(nil, "a"))
	out, err := exec.Command(bin, "agent", "--help").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"agent [--socket PATH] [--cache-ttl D] [--idle-timeout D] [--max-lifetime D]", "--cache-ttl", "--idle-timeout", "EXECREF_AGENT"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("agent --help does not show %q:\n%s", want, out)
		}
	}
}

// The socket is --socket, else --agent, else EXECREF_AGENT, else the
// default in XDG_RUNTIME_DIR. SIGTERM stops the agent cleanly, closing the
// backend.
func TestAgentCommandSocketAndSIGTERM(t *testing.T) {
	bin := installAgentResolver(t, agentFixture(nil, "a"))
	runtime := sdktest.ShortDir(t)
	for name, c := range map[string]struct {
		env    []string
		args   []string
		socket string
	}{
		"--socket":        {nil, []string{"--agent", "/elsewhere.sock", "agent", "--socket", runtime + "/s.sock"}, runtime + "/s.sock"},
		"--agent":         {nil, []string{"--agent", runtime + "/f.sock", "agent"}, runtime + "/f.sock"},
		"EXECREF_AGENT":   {[]string{"EXECREF_AGENT=" + runtime + "/e.sock"}, []string{"agent"}, runtime + "/e.sock"},
		"XDG_RUNTIME_DIR": {[]string{"XDG_RUNTIME_DIR=" + runtime}, []string{"agent"}, runtime + "/execref/agent-test-resolver.sock"},
	} {
		cmd := exec.Command(bin, c.args...)
		cmd.Env, cmd.Dir = c.env, filepath.Dir(bin)
		a := sdktest.StartAgentCommand(t, cmd, c.socket)
		a.WaitLog(t, "agent-test-resolver: agent: listening on "+c.socket+" ")
		if err := a.Stop(t); err != nil || !strings.Contains(a.Log.String(), "stopping: received terminated") {
			t.Errorf("%s: SIGTERM: %v, stderr:\n%s", name, err, a.Log)
		}
	}
	if got := events(t, bin, "agent", "close"); len(got) != 4 {
		t.Errorf("the backend was closed %d times by 4 agents: %q", len(got), record(t, bin))
	}
}

// An idle agent stops by itself, releasing the login it kept warm.
func TestAgentIdleTimeoutClosesTheBackend(t *testing.T) {
	fix := agentFixture(nil, "a")
	fix["login"] = map[string]string{"ttl": "1h", "valid": "1h"}
	bin := installAgentResolver(t, fix)
	a := sdktest.StartAgent(t, host.Provider{Command: bin}, "--idle-timeout", "300ms")
	p := a.Via(host.Provider{Command: bin, Args: []string{"--verbose"}})
	run := wantValues(t, p, want("", "a"))
	if !strings.Contains(string(run.Stderr), "answered by the agent") {
		t.Fatalf("not answered by the agent:\n%s", run.Stderr)
	}
	if status := a.Wait(t); status != 0 || !strings.Contains(a.Log.String(), "stopping: idle for 300ms") {
		t.Fatalf("exit %d, stderr:\n%s", status, a.Log)
	}
	opened := events(t, bin, "agent", "open ")
	released := events(t, bin, "agent", "release ")
	if len(opened) != 1 || len(released) != 1 || strings.TrimPrefix(opened[0], "open ") != strings.TrimPrefix(released[0], "release ") {
		t.Errorf("opened %q, released %q: want the login released", opened, released)
	}
	if len(events(t, bin, "agent", "close")) != 1 {
		t.Errorf("the backend was not closed: %q", record(t, bin))
	}
}

// A second agent on a live socket refuses to start, and the first serves on.
func TestAgentCommandRefusesARunningAgentsSocket(t *testing.T) {
	bin := installAgentResolver(t, agentFixture(nil, "a"))
	first := sdktest.StartAgent(t, host.Provider{Command: bin})
	p := first.Via(host.Provider{Command: bin, Args: []string{"--verbose"}})
	var second sdktest.Buffer
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	proc, err := agent.StartProcess(ctx, agent.ProcessConfig{Provider: host.Provider{Command: bin}, LookupEnv: gateway.LookupEnv, Socket: first.Socket, Stderr: &second})
	if err == nil {
		proc.Kill()
	}
	var pe *agent.ProcessError
	if !errors.Is(err, agent.ErrExitedEarly) || !errors.As(err, &pe) || pe.ExitCode() != sdk.ExitUnavailable || !strings.Contains(second.String(), "an agent is already running") {
		t.Fatalf("second agent: %v, want exit %d; stderr:\n%s", err, sdk.ExitUnavailable, &second)
	}
	if run := wantValues(t, p, want("", "a")); !strings.Contains(string(run.Stderr), "answered by the agent") {
		t.Errorf("the first agent no longer answers:\n%s", run.Stderr)
	}
}
