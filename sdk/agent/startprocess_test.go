//go:build linux || darwin || freebsd

package agent_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/execref/execref/sdk/agent"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// StartProcess and Process run the test binary as the provider's command:
// in the role "process" (set in the provider's env) it records how it was
// started and then behaves as modeEnv says.

const modeEnv = "EXECREF_AGENT_TEST_MODE"

// The role is taken before TestMain's, which knows the other roles: a
// process started by StartProcess has no other way in.
func init() {
	if os.Getenv(roleEnv) == "process" {
		os.Exit(helperProcess())
	}
}

// started is what the helper records on stderr, as "started {JSON}".
type started struct {
	Args []string `json:"args"`
	Env  []string `json:"env"`
	Dir  string   `json:"dir"`
	Pid  int      `json:"pid"`
}

// helperProcess records how it was started, then, by mode: "serve" serves
// echo on its --socket until SIGTERM (exit 0), "fail" likewise but exits
// 3, "exit" refuses at once (exit 64), "silent" never listens, and
// "stubborn" listens but ignores SIGTERM.
func helperProcess() int {
	dir, _ := os.Getwd()
	env := os.Environ()
	slices.Sort(env)
	rec, _ := json.Marshal(started{Args: os.Args[1:], Env: env, Dir: dir, Pid: os.Getpid()})
	fmt.Fprintf(os.Stderr, "started %s\n", rec)
	socket := ""
	if i := slices.Index(os.Args, "--socket"); i > 0 && i+1 < len(os.Args) {
		socket = os.Args[i+1]
	}
	switch mode := os.Getenv(modeEnv); mode {
	case "serve", "fail":
		if err := agent.Serve(context.Background(), agent.Options{Socket: socket, Config: digest}, newEcho()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if mode == "fail" {
			return 3
		}
		return 0
	case "exit":
		fmt.Fprintln(os.Stderr, "refusing: bad flag --bogus")
		return 64
	case "stubborn":
		signal.Ignore(syscall.SIGTERM)
		if _, err := net.Listen("unix", socket); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	time.Sleep(time.Minute)
	return 1
}

// helperProvider is the test binary as a provider's command in mode.
func helperProvider(t *testing.T, mode string) host.Provider {
	return host.Provider{Command: self(t), Env: map[string]string{roleEnv: "process", modeEnv: mode}}
}

// startedAs is the helper's record in its stderr.
func startedAs(t *testing.T, stderr string) started {
	t.Helper()
	for _, line := range strings.Split(stderr, "\n") {
		if rec, ok := strings.CutPrefix(line, "started "); ok {
			var s started
			if err := json.Unmarshal([]byte(rec), &s); err != nil {
				t.Fatal(err)
			}
			return s
		}
	}
	t.Fatalf("the helper did not say how it was started:\n%s", stderr)
	return started{}
}

func within(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// The agent runs with the provider's args then agent --socket S and the
// flags, exactly the environment the gateway gives the exec side, in the
// command's directory; it answers once StartProcess returns, stops
// cleanly on Stop, and its private socket directory goes with it.
func TestStartProcessAsTheGatewayRunsTheProvider(t *testing.T) {
	p := helperProvider(t, "serve")
	p.Args = []string{"--vault-addr", "https://v:8200", "two words"}
	p.PassEnv = []string{"PASSED", "UNSET"}
	p.Env["LITERAL"] = "literal value"
	gateway := map[string]string{"PASSED": "from the gateway", "NOT_PASSED": "other"}
	var stderr sdktest.Buffer
	proc, err := agent.StartProcess(within(t, 30*time.Second), agent.ProcessConfig{
		Provider:  p,
		LookupEnv: func(k string) (string, bool) { v, ok := gateway[k]; return v, ok },
		Flags:     []string{"--idle-timeout", "1h"},
		Stderr:    &stderr,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(proc.Kill)
	socket := proc.Socket()
	if info, err := os.Stat(filepath.Dir(socket)); err != nil || info.Mode().Perm() != 0o700 || len(socket) > 100 {
		t.Fatalf("socket %s in a directory %v (%v), want a short path in a 0700 directory", socket, info.Mode(), err)
	}
	resp, err := forward(socket, 10*time.Second, request("a"))
	if err != nil || value(resp, "a") != "value of a" {
		t.Fatalf("the agent does not answer once started: %v %v", resp, err)
	}
	if st := proc.State(); st != nil {
		t.Fatalf("State of a running agent: %v", st)
	}
	if err := proc.Stop(within(t, 10*time.Second)); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	select {
	case <-proc.Done():
	default:
		t.Fatal("Done not closed after Stop")
	}
	if _, err := os.Lstat(filepath.Dir(socket)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the socket's directory remains after the agent ended: %v", err)
	}

	got := startedAs(t, stderr.String())
	if want := []string{"--vault-addr", "https://v:8200", "two words", "agent", "--socket", socket, "--idle-timeout", "1h"}; !slices.Equal(got.Args, want) {
		t.Errorf("args %q, want %q", got.Args, want)
	}
	wantEnv := host.ChildEnv(p, func(k string) (string, bool) { v, ok := gateway[k]; return v, ok })
	if !slices.Equal(got.Env, wantEnv) || !slices.Contains(got.Env, "PASSED=from the gateway") || !slices.Contains(got.Env, "OPENCLAW_CLI=1") {
		t.Errorf("env %q, want exactly %q", got.Env, wantEnv)
	}
	if dir, _ := filepath.EvalSymlinks(filepath.Dir(p.Command)); got.Dir != dir && got.Dir != filepath.Dir(p.Command) {
		t.Errorf("working directory %s, want the command's %s", got.Dir, filepath.Dir(p.Command))
	}
}

// An agent that exits before it listens: ErrExitedEarly with its status
// and what it said, and nothing left behind.
func TestStartProcessExitedEarly(t *testing.T) {
	var stderr sdktest.Buffer
	_, err := agent.StartProcess(within(t, 30*time.Second), agent.ProcessConfig{Provider: helperProvider(t, "exit"), Stderr: &stderr})
	var pe *agent.ProcessError
	if !errors.Is(err, agent.ErrExitedEarly) || !errors.As(err, &pe) || pe.ExitCode() != 64 {
		t.Fatalf("%v, want ErrExitedEarly with exit status 64", err)
	}
	for what, text := range map[string]string{"the error": err.Error(), "its Stderr": pe.Stderr, "the caller's writer": stderr.String()} {
		if !strings.Contains(text, "refusing: bad flag --bogus") {
			t.Errorf("%s does not hold what the agent said: %q", what, text)
		}
	}
	if _, err := os.Lstat(filepath.Dir(pe.Socket)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the socket's directory remains: %v", err)
	}
}

// A socket another agent serves is not the new process's: StartProcess
// waits for one of its own (and gets an early exit or a timeout), never
// returning the other agent as this one.
func TestStartProcessIgnoresAnotherAgentsSocket(t *testing.T) {
	r := serve(t, agent.Options{})
	var stderr sdktest.Buffer
	_, err := agent.StartProcess(within(t, 500*time.Millisecond), agent.ProcessConfig{Provider: helperProvider(t, "silent"), Socket: r.socket, Stderr: &stderr})
	var pe *agent.ProcessError
	if !errors.Is(err, agent.ErrNotListening) || !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &pe) {
		t.Fatalf("%v, want ErrNotListening", err)
	}
	// Killed, not left running.
	pid := startedAs(t, pe.Stderr).Pid
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("the process that did not listen still exists: %v", err)
	}
	if _, err := forward(r.socket, 5*time.Second, request("a")); err != nil {
		t.Errorf("the other agent no longer answers: %v", err)
	}
}

// A stale socket (its agent killed) is no sign of the new agent: the
// new one replaces it, and answers once StartProcess returns.
func TestStartProcessOverAStaleSocket(t *testing.T) {
	socket := filepath.Join(sdktest.ShortDir(t), "a.sock")
	staleSocket(t, socket)
	var stderr sdktest.Buffer
	proc, err := agent.StartProcess(within(t, 30*time.Second), agent.ProcessConfig{Provider: helperProvider(t, "serve"), Socket: socket, Stderr: &stderr})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(proc.Kill)
	if _, err := forward(socket, 10*time.Second, request("a")); err != nil {
		t.Fatalf("the new agent does not answer: %v\n%s", err, &stderr)
	}
}

// Stop says how the agent ended: a failure status, or a process that
// ignored SIGTERM and was killed when Stop's context ended.
func TestStopReportsHowTheAgentEnded(t *testing.T) {
	for mode, want := range map[string]error{"fail": agent.ErrExitStatus, "stubborn": agent.ErrStopTimeout} {
		t.Run(mode, func(t *testing.T) {
			proc, err := agent.StartProcess(within(t, 30*time.Second), agent.ProcessConfig{Provider: helperProvider(t, mode)})
			if err != nil {
				t.Fatal(err)
			}
			err = proc.Stop(within(t, 2*time.Second))
			var pe *agent.ProcessError
			if !errors.Is(err, want) || !errors.As(err, &pe) || pe.State == nil {
				t.Fatalf("Stop: %v, want %v with how it ended", err, want)
			}
			if mode == "fail" && pe.ExitCode() != 3 {
				t.Errorf("exit status %d, want 3", pe.ExitCode())
			}
			if mode == "stubborn" && proc.State().Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Errorf("ended %v, want killed", proc.State())
			}
		})
	}
}

// A command that cannot run: ErrProcessStart with exec's reason.
func TestStartProcessMissingCommand(t *testing.T) {
	_, err := agent.StartProcess(within(t, 5*time.Second), agent.ProcessConfig{Provider: host.Provider{Command: "/nonexistent/openclaw-x-resolver"}})
	var pe *agent.ProcessError
	if !errors.Is(err, agent.ErrProcessStart) || !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &pe) {
		t.Fatalf("%v, want ErrProcessStart for a missing file", err)
	}
	if _, err := os.Lstat(filepath.Dir(pe.Socket)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the socket's directory remains: %v", err)
	}
}
