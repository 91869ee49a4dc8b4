//go:build linux || darwin || freebsd

package sdk_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// The agent keeps no value unless --cache-ttl asks for it, and then only
// in memory, for the TTL, and never a failure.

func TestAgentWithoutCacheTTLReadsEveryBatch(t *testing.T) {
	bin := installJSONFile(t, map[string]map[string]string{"secrets.json": {"a": "first-value-of-a"}})
	a := sdktest.StartAgent(t, host.Provider{Command: bin})
	p := a.Via(host.Provider{Command: bin, Args: []string{"--verbose"}})
	wantValues(t, p, map[string]string{"a": "first-value-of-a"})
	writeJSON(t, bin, "secrets.json", map[string]string{"a": "second-value-of-a"})
	run := wantValues(t, p, map[string]string{"a": "second-value-of-a"})
	if !strings.Contains(string(run.Stderr), "answered by the agent") {
		t.Errorf("not answered by the agent:\n%s", run.Stderr)
	}
}

func TestAgentCacheTTLKeepsValuesInMemoryOnly(t *testing.T) {
	const ttl = 1500 * time.Millisecond
	bin := installJSONFile(t, map[string]map[string]string{"secrets.json": {"a": "first-value-of-a"}})
	// The places a process would write to: its home, its temporary
	// directory, its cache. They are the agent's and the exec side's alike.
	home, tmp := t.TempDir(), t.TempDir()
	p := host.Provider{Command: bin, Args: []string{"--verbose"},
		Env: map[string]string{"HOME": home, "TMPDIR": tmp, "XDG_CACHE_HOME": filepath.Join(home, ".cache")}}
	a := sdktest.StartAgent(t, p, "--cache-ttl", ttl.String())
	p = a.Via(p)

	// Kept after start and before the first batch is over, the value
	// expires a TTL later.
	start := time.Now()
	run := execBatch(t, p, "a", "later")
	kept := time.Now()
	res, err := host.ParseResponse("p", run.Stdout, []string{"a", "later"}, true)
	if err != nil || res["a"].Value != "first-value-of-a" || !hasCode(res["later"].Err, protocol.NotFound) {
		t.Fatalf("first batch: %+v %v; stderr:\n%s", res, err, run.Stderr)
	}
	// The value changes and the failed id appears: within the TTL the
	// agent answers the value it has kept, and asks again for the id that
	// failed.
	writeJSON(t, bin, "secrets.json", map[string]string{"a": "second-value-of-a", "later": "value-of-later"})
	run = execBatch(t, p, "a", "later")
	if time.Since(start) < ttl-200*time.Millisecond {
		res, err = host.ParseResponse("p", run.Stdout, []string{"a", "later"}, true)
		if err != nil || res["a"].Value != "first-value-of-a" || res["later"].Value != "value-of-later" {
			t.Fatalf("second batch, within the TTL: %+v %v; stderr:\n%s", res, err, run.Stderr)
		}
	} else {
		t.Log("the machine is too slow to see the second batch within the TTL")
	}
	if !strings.Contains(string(run.Stderr), "answered by the agent") {
		t.Errorf("not answered by the agent:\n%s", run.Stderr)
	}
	time.Sleep(time.Until(kept.Add(ttl + 50*time.Millisecond)))
	wantValues(t, p, map[string]string{"a": "second-value-of-a", "later": "value-of-later"})
	if !strings.Contains(a.Log.String(), "1 ids answered from memory (--cache-ttl)") {
		t.Errorf("the agent's log does not say it answered from memory:\n%s", a.Log)
	}
	noLeak(t, "the agent's log", a.Log.String(), "first-value", "second-value", "value-of-later")

	// "first-value-of-a" is now nowhere but in the agent's memory: no file
	// the agent could have written holds it.
	for _, dir := range []string{filepath.Dir(bin), filepath.Dir(a.Socket), home, tmp} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			data, err := os.ReadFile(path)
			if err == nil && strings.Contains(string(data), "first-value-of-a") {
				t.Errorf("%s holds a cached value", path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// hasCode reports whether err has code.
func hasCode(err error, code protocol.Code) bool { return err != nil && protocol.CodeOf(err) == code }
