package transportbench_test

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
	"github.com/execref/execref/sdk/sdktest/transportbench"
)

// jsonfile installs the SDK's example resolver beside a secrets.json of
// n ids whose values hold their own id, and returns its setup and batch.
func jsonfile(t *testing.T, n int) (transportbench.Setup, transportbench.Batch) {
	t.Helper()
	want := map[string]string{}
	var ids []string
	for i := range n {
		id := fmt.Sprintf("app/key%02d", i)
		ids = append(ids, id)
		want[id] = "value-of-" + id
	}
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"secrets.json": data}
	bin := sdktest.Install(t, sdktest.CachedWithoutPlugin(t, "../../examples/openclaw-jsonfile-resolver"), files)
	return transportbench.Setup{Name: "jsonfile", Provider: host.Provider{Source: "exec", Command: bin},
			PluginCommand: sdktest.Install(t, sdktest.Cached(t, "../../examples/openclaw-jsonfile-resolver"), files)},
		transportbench.Batch{IDs: ids, Want: want}
}

// Each transport answers the batch right, and the agent's answers are
// told from cold ones: once it is gone, the exec side's answers are still
// right but no longer the agent's.
func TestTransports(t *testing.T) {
	s, batch := jsonfile(t, 4)
	ctx := context.Background()
	a, err := transportbench.StartAgent(s)
	if err != nil {
		t.Fatal(err)
	}
	for name, tr := range map[string]transportbench.Transport{"cold": transportbench.Cold(s), "agent": a, "plugin": transportbench.Plugin(s)} {
		res, err := tr.Resolve(ctx, batch.IDs)
		if err := batch.Check(res, err); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		// Linux has /proc, where the kept process's CPU time is read.
		if _, ok := tr.LiveCPU(); !ok && runtime.GOOS == "linux" {
			t.Errorf("%s: no CPU time for the kept process", name)
		}
		if name != "agent" {
			if err := tr.Close(); err != nil {
				t.Errorf("%s: close: %v", name, err)
			}
		}
	}
	if !a.Answered() {
		t.Errorf("the agent did not answer: %q\n%s", a.Route(), a.Log())
	}
	if err := a.Close(); err != nil {
		t.Errorf("stopping the agent: %v", err)
	}
	res, err := a.Resolve(ctx, batch.IDs)
	if err := batch.Check(res, err); err != nil {
		t.Errorf("without the agent: %v", err)
	}
	if a.Answered() || !strings.HasPrefix(a.Route(), "resolving cold: ") {
		t.Errorf("a stopped agent answered? route %q", a.Route())
	}
}

// Check fails on another id's value, a missing id, an error, or the wrong
// exit status; and a batch that must fail is checked on every transport,
// the agent's refusal included.
func TestCheck(t *testing.T) {
	s, batch := jsonfile(t, 2)
	res, err := transportbench.Cold(s).Resolve(context.Background(), batch.IDs)
	if err != nil {
		t.Fatal(err)
	}
	swapped := map[string]host.Result{batch.IDs[0]: res[batch.IDs[1]], batch.IDs[1]: res[batch.IDs[0]]}
	if err := batch.Check(swapped, nil); err == nil || strings.Contains(err.Error(), "value-of-") {
		t.Errorf("swapped values: %v (must fail without quoting a value)", err)
	}
	if err := batch.Check(map[string]host.Result{batch.IDs[0]: res[batch.IDs[0]]}, nil); err == nil {
		t.Error("a missing id passed")
	}

	// An id that must fail: its code, and a message naming it.
	mixed := transportbench.Batch{IDs: []string{batch.IDs[0], "app/missing"}, Want: map[string]string{batch.IDs[0]: batch.Want[batch.IDs[0]]},
		WantErrors: map[string]transportbench.IDError{"app/missing": {Code: protocol.NotFound, Contains: `"app/missing"`}}}
	if err := mixed.Validate(); err != nil {
		t.Fatal(err)
	}
	res, err = transportbench.Cold(s).Resolve(context.Background(), mixed.IDs)
	if err := mixed.Check(res, err); err != nil {
		t.Error(err)
	}
	mixed.WantErrors["app/missing"] = transportbench.IDError{Code: protocol.InvalidValue, Contains: `"app/missing"`}
	if err := mixed.Check(res, err); err == nil {
		t.Error("NOT_FOUND passed for INVALID_VALUE")
	}

	// Batches whose check could not catch a mix-up are refused.
	for name, bad := range map[string]transportbench.Batch{
		"no ids":        {},
		"an id unknown": {IDs: []string{"a/b", "c/d"}, Want: map[string]string{"a/b": "x"}},
		"same values":   {IDs: []string{"a/b", "c/d"}, Want: map[string]string{"a/b": "x", "c/d": "x"}},
		"same texts": {IDs: []string{"a/b", "c/d"}, WantErrors: map[string]transportbench.IDError{
			"a/b": {Code: protocol.NotFound, Contains: "t"}, "c/d": {Code: protocol.NotFound, Contains: "t"}}},
		"twice": {IDs: []string{"a/b"}, Want: map[string]string{"a/b": "x"},
			WantErrors: map[string]transportbench.IDError{"a/b": {Code: protocol.NotFound, Contains: "a/b"}}},
	} {
		if bad.Validate() == nil {
			t.Errorf("%s: valid", name)
		}
	}

	// No secrets.json beside the command: exit 78 (configuration), from
	// the agent as from a cold run.
	s.Provider.Args = []string{"--file", "missing.json"}
	fail := transportbench.Batch{IDs: batch.IDs, WantExit: 78}
	a, err := transportbench.StartAgent(s)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	for name, tr := range map[string]transportbench.Transport{"cold": transportbench.Cold(s), "agent": a} {
		res, err := tr.Resolve(context.Background(), fail.IDs)
		if err := fail.Check(res, err); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if err := (transportbench.Batch{IDs: batch.IDs, WantExit: 77}).Check(res, err); err == nil {
			t.Errorf("%s: exit 78 passed for 77", name)
		}
	}
	if r := a.Route(); !strings.Contains(r, "failed the batch (exit status 78)") {
		t.Errorf("the agent's part in a failing batch: %q", r)
	}
}
