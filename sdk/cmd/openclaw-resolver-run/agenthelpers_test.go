//go:build unix

package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

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

// serviceCommand is argv run in dir with exactly env, as a service
// manager starts a unit's command.
func serviceCommand(argv []string, dir string, env []string) *exec.Cmd {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir, cmd.Env = dir, env
	return cmd
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
