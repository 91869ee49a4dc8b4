//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// agentWait bounds every wait for an agent: generous, because the machine
// running the tests may be loaded, and never reached when things work.
const agentWait = 60 * time.Second

// shortDir is a fresh directory with a short path: a unix socket's path
// must fit in about a hundred bytes, which t.TempDir()'s long names and
// the socket's own name could exceed.
func shortDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "xa")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// writeAgentConfig writes stateDir/openclaw.json with provider "sops"
// running the installed resolver as writeConfig's does, its key file from
// the state directory's .env, and, when socket is not "", EXECREF_AGENT
// in its env.
func writeAgentConfig(t *testing.T, stateDir string, s *sopsSetup, socket string) {
	t.Helper()
	env := ""
	if socket != "" {
		q, _ := json.Marshal(socket)
		env = `"env": {"EXECREF_AGENT": ` + string(q) + `},`
	}
	config := `{
  "secrets": {"providers": {"sops": {
    "source": "exec",
    "command": "` + s.command + `",
    "args": ["--file", "secrets.enc.yaml", "--timeout", "25s"],
    "passEnv": ["SOPS_AGE_KEY_FILE"],
    ` + env + `
    "timeoutMs": 30000, "noOutputTimeoutMs": 30000
  }}},
  "models": {"providers": {"openai": {"apiKey": {"source": "exec", "provider": "sops", "id": "openai/apiKey"}}}}
}
`
	files := map[string]string{"openclaw.json": config, ".env": "SOPS_AGE_KEY_FILE=" + s.keyA + "\n"}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(stateDir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// syncBuffer is an output both the process and the test touch.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// agentProcess is a started `openclaw-resolver-run agent`, which becomes
// the resolver's agent: the same process.
type agentProcess struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	done   chan struct{} // closed when the process has ended
	err    error         // how it ended, once done is closed
}

// startAgent starts bin with args in dir with exactly env, as a service
// manager would.
func startAgent(t *testing.T, bin, dir string, env []string, args ...string) *agentProcess {
	t.Helper()
	a := &agentProcess{cmd: exec.Command(bin, args...), stderr: &syncBuffer{}, done: make(chan struct{})}
	a.cmd.Dir, a.cmd.Env, a.cmd.Stderr = dir, env, a.stderr
	if err := a.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		a.err = a.cmd.Wait()
		close(a.done)
	}()
	t.Cleanup(func() {
		select {
		case <-a.done:
		default:
			a.cmd.Process.Kill()
			<-a.done
		}
	})
	return a
}

// waitFor waits until the agent's stderr holds text, and fails if the
// process ends first.
func (a *agentProcess) waitFor(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(agentWait)
	for !strings.Contains(a.stderr.String(), text) {
		select {
		case <-a.done:
			t.Fatalf("the agent ended (%v) before saying %q:\n%s", a.err, text, a.stderr)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the agent did not say %q within %s:\n%s", text, agentWait, a.stderr)
		}
	}
}

// stop sends SIGTERM, as systemctl stop and launchctl bootout do, and
// returns how the process ended.
func (a *agentProcess) stop(t *testing.T) error {
	t.Helper()
	if err := a.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-a.done:
		return a.err
	case <-time.After(agentWait):
		a.cmd.Process.Kill()
		t.Fatalf("the agent did not stop within %s of SIGTERM:\n%s", agentWait, a.stderr)
		return nil
	}
}

// revealed is the id → value map of a --reveal --json run.
func revealed(t *testing.T, stdout string) map[string]string {
	t.Helper()
	var got []jsonResult
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("not --json output: %v\n%s", err, stdout)
	}
	m := map[string]string{}
	for _, r := range got {
		v, ok := r.Value.(string)
		if !ok {
			t.Fatalf("%s: no string value: %+v", r.ID, r)
		}
		m[r.ID] = v
	}
	return m
}
