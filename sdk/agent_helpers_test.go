//go:build linux || darwin || freebsd

package sdk_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// The agent's tests run built binaries: the exec side through host.Runner
// as the gateway runs it (empty environment but the provider's env, cwd
// the binary's directory), the agent as an operator starts it, with the
// provider's args and exactly the environment the exec side gets.

// gateway is a gateway whose own environment is empty.
var gateway = &host.Runner{LookupEnv: func(string) (string, bool) { return "", false }}

// installAgentResolver installs the agent tests' resolver with fix as its
// fixture and returns its path.
func installAgentResolver(t *testing.T, fix any) string {
	t.Helper()
	data, err := json.Marshal(fix)
	if err != nil {
		t.Fatal(err)
	}
	return sdktest.Install(t, sdktest.Cached(t, "./testdata/agentresolver"), map[string][]byte{"fixture.json": data})
}

// installJSONFile installs the SDK's example resolver with secrets.json
// (and any other file) beside it.
func installJSONFile(t *testing.T, files map[string]map[string]string) string {
	t.Helper()
	raw := map[string][]byte{}
	for name, values := range files {
		data, err := json.Marshal(values)
		if err != nil {
			t.Fatal(err)
		}
		raw[name] = data
	}
	return sdktest.Install(t, sdktest.Cached(t, "./examples/openclaw-jsonfile-resolver"), raw)
}

// writeJSON replaces a file beside bin, as an operator edits it.
func writeJSON(t *testing.T, bin, name string, v any) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(bin), name), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// socketPath is a socket's path in a fresh private directory, short
// enough for a unix socket's path, for a test that needs it before any
// agent is there.
func socketPath(t *testing.T) string {
	return filepath.Join(sdktest.ShortDir(t), "a.sock")
}

// execBatch runs p once through the gateway's runner with a request for
// ids as given (duplicates and invalid ids included, as a host other than
// the gateway could send them).
func execBatch(t *testing.T, p host.Provider, ids ...string) *host.Run {
	t.Helper()
	req := protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: "p", IDs: ids})
	run, err := gateway.Exec(context.Background(), "p", p, req)
	if run == nil {
		t.Fatalf("did not run: %v", err)
	}
	return run
}

// wantValues runs a batch of p and requires exit 0 and exactly want's
// values for its ids; it returns the run.
func wantValues(t *testing.T, p host.Provider, want map[string]string) *host.Run {
	t.Helper()
	var ids []string
	for id := range want {
		ids = append(ids, id)
	}
	run := execBatch(t, p, ids...)
	if run.ExitCode != 0 {
		t.Fatalf("exit %d, stderr:\n%s", run.ExitCode, run.Stderr)
	}
	res, err := host.ParseResponse("p", run.Stdout, ids, true)
	if err != nil {
		t.Fatalf("response %q: %v", run.Stdout, err)
	}
	for id, v := range want {
		if res[id].Err != nil || res[id].Value != v {
			t.Errorf("%s: got %v (%v), want %q; stderr:\n%s", id, res[id].Value, res[id].Err, v, run.Stderr)
		}
	}
	return run
}

// hexRun is a hash's worth of hex: never printed by the digest's users.
var hexRun = regexp.MustCompile(`[0-9a-f]{32}`)

// noLeak fails when text holds a value or a hash.
func noLeak(t *testing.T, what, text string, values ...string) {
	t.Helper()
	for _, v := range values {
		if strings.Contains(text, v) {
			t.Errorf("%s holds the value %q:\n%s", what, v, text)
		}
	}
	if hexRun.MatchString(text) {
		t.Errorf("%s holds a hash:\n%s", what, text)
	}
}

// record is the agent resolver's record file beside bin: one line per
// event, "MODE PID EVENT [ARG]".
func record(t *testing.T, bin string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(filepath.Dir(bin), "record.log"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(data)), "\n")
}

// events are the record's lines of mode's processes for event, without
// the pid: "resolve a,b", "open tok-…".
func events(t *testing.T, bin, mode, event string) []string {
	t.Helper()
	var out []string
	for _, line := range record(t, bin) {
		f := strings.SplitN(line, " ", 3)
		if len(f) == 3 && f[0] == mode && strings.HasPrefix(f[2], event) {
			out = append(out, f[2])
		}
	}
	return out
}

// waitEvent waits up to 10 s for a record line of mode starting with event.
func waitEvent(t *testing.T, bin, mode, event string) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if len(events(t, bin, mode, event)) > 0 {
			return
		}
	}
	t.Fatalf("no %q by the %s in 10s; record:\n%s", event, mode, strings.Join(record(t, bin), "\n"))
}
