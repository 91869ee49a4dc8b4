package onepassword_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// These tests build openclaw-1password-resolver and the fake op
// (internal/fakeop), install both as an operator would, and run the
// resolver through the SDK's host runner as the gateway runs it: an empty
// gateway environment (only the provider's env reaches the resolver), its
// own directory as cwd, the gateway's limits and response parsing. No
// 1Password account is reachable from here; the fake op is the account.

// emptyGateway is a gateway with an empty environment.
var emptyGateway = &host.Runner{LookupEnv: func(string) (string, bool) { return "", false }}

const (
	cliProvider = "onepassword"
	cliToken    = "ops_eyJzaWduSW5BZGRyZXNzIjoiZmFrZSJ9-test-token-not-a-real-one"
)

// Fake account content, in the fake's JSON form (see internal/fakeop).
type (
	fakeData struct {
		Token   string      `json:"token,omitempty"`
		Vaults  []fakeVault `json:"vaults"`
		Latency string      `json:"latency,omitempty"`
		Hang    bool        `json:"hang,omitempty"`
		Fail    string      `json:"fail,omitempty"`
		Log     string      `json:"log,omitempty"`
		LogEnv  []string    `json:"logEnv,omitempty"`
		// InjectVerbatim: inject copies references through unresolved.
		InjectVerbatim bool `json:"injectVerbatim,omitempty"`
	}
	fakeVault struct {
		ID    string     `json:"id"`
		Name  string     `json:"name"`
		Items []fakeItem `json:"items"`
	}
	fakeItem struct {
		ID       string        `json:"id"`
		Title    string        `json:"title"`
		Sections []fakeSection `json:"sections,omitempty"`
		Fields   []fakeField   `json:"fields,omitempty"`
		Files    []fakeFile    `json:"files,omitempty"`
		Hang     bool          `json:"hang,omitempty"`
		Fail     string        `json:"fail,omitempty"`
		// KilledOnce: the first op call reading it is killed (SIGKILL).
		KilledOnce bool `json:"killedOnce,omitempty"`
	}
	fakeSection struct {
		ID    string `json:"id"`
		Label string `json:"label"`
	}
	fakeField struct {
		ID      string `json:"id"`
		Label   string `json:"label"`
		Value   string `json:"value"`
		Section string `json:"section,omitempty"`
	}
	fakeFile struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Content string `json:"content"`
	}
)

// opWorld is one fake op with its account, and one installed resolver.
type opWorld struct {
	t    testing.TB
	dir  string // the fake's directory: op, fakeop.json, calls.log
	op   string
	bin  string
	data fakeData
}

// newOpWorld installs the resolver (with the token in a file beside it,
// op-token, mode 0600) and the fake op with data (its log set here).
func newOpWorld(t testing.TB, data fakeData) *opWorld {
	t.Helper()
	w := &opWorld{t: t}
	fake := sdktest.Install(t, sdktest.Cached(t, "./internal/fakeop"), nil)
	w.dir = filepath.Dir(fake)
	w.op = filepath.Join(w.dir, "op") // as it is found in PATH
	if err := os.Rename(fake, w.op); err != nil {
		t.Fatal(err)
	}
	w.bin = sdktest.Install(t, sdktest.Cached(t, "./cmd/openclaw-1password-resolver"),
		map[string][]byte{"op-token": []byte(cliToken + "\n")})
	w.setData(data)
	return w
}

// setData writes the fake's account; the next op call reads it.
func (w *opWorld) setData(data fakeData) {
	w.t.Helper()
	data.Log = filepath.Join(w.dir, "calls.log")
	w.data = data
	raw, err := json.Marshal(data)
	if err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(w.dir, "fakeop.json"), raw, 0o600); err != nil {
		w.t.Fatal(err)
	}
	_ = os.Remove(data.Log)
}

// provider is the cli-mode provider block: the token from the file beside
// the binary, op given by --op, args appended.
func (w *opWorld) provider(args ...string) host.Provider {
	return host.Provider{
		Command:   w.bin,
		Args:      append([]string{"--mode", "cli", "--op", w.op, "--token-file", "op-token"}, args...),
		TimeoutMs: 5000,
	}
}

// resolve runs p for ids through the empty gateway.
func (w *opWorld) resolve(p host.Provider, ids ...string) (map[string]host.Result, *host.Run, error) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return emptyGateway.ResolveRun(ctx, cliProvider, p, ids)
}

// calls are the fake's log lines: "inject N", "read REF", "version".
func (w *opWorld) calls() []string {
	f, err := os.Open(w.data.Log)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		w.t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		lines = append(lines, s.Text())
	}
	return lines
}

// count is how many calls start with prefix.
func (w *opWorld) count(prefix string) int {
	n := 0
	for _, c := range w.calls() {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}
