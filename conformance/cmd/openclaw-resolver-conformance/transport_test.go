package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/sdktest"
)

// installSDK puts the suite's SDK-built reference resolver beside the
// reference fixture, as install does for the hand-written one.
func installSDK(t *testing.T) (fixture, bin string) {
	t.Helper()
	bin = sdktest.MustBuild(t, "../../testdata/sdkresolver")
	fixture = filepath.Join(filepath.Dir(bin), "fixture.json")
	if err := os.WriteFile(fixture, mustRead(t, "../../testdata/fixtures/reference.json"), 0o600); err != nil {
		t.Fatal(err)
	}
	return fixture, bin
}

// An SDK-built resolver runs over all three transports; every line and
// the JUnit report name the transport.
func TestCLITransports(t *testing.T) {
	fixture, bin := installSDK(t)
	junit := filepath.Join(t.TempDir(), "junit.xml")
	var out, errOut bytes.Buffer
	st := run([]string{"--fixture", fixture, "--transport", "exec,plugin,agent", "--run", "^(CORE-00[12]|OUTPUT-001)$", "--junit", junit, bin}, &out, &errOut)
	if st != exitOK {
		t.Fatalf("status %d\n%s%s", st, out.String(), errOut.String())
	}
	for _, want := range []string{"transports: exec, plugin, agent\n", "PASS  agent   CORE-002 ", "SKIP  plugin  OUTPUT-001 ", "conformance: 8 passed, 0 failed, 1 skipped\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if data := string(mustRead(t, junit)); strings.Count(data, "<testsuite ") != 3 || !strings.Contains(data, `name="CORE-001 [plugin] `) {
		t.Errorf("--junit:\n%s", data)
	}
}

// plugin and agent are refused, in one line and before anything runs, for
// a resolver not built on the SDK, plugin for one built without -tags
// execref_plugin, and a name that is no transport.
func TestCLITransportRefused(t *testing.T) {
	fixture, bin := install(t)
	slimFixture, slim := installSDK(t)
	slim, err := sdktest.BuildWithoutPlugin(filepath.Dir(slim), "../../testdata/sdkresolver")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ fixture, bin, transports, want string }{
		{fixture, bin, "exec,plugin", "--transport plugin: " + bin + " is not a Go program built on the execref SDK"},
		{slimFixture, slim, "exec,agent,plugin", "--transport plugin: " + slim + ` does not serve go-plugin: it was built without -tags execref_plugin (docs/sdk.md, "go-plugin")`},
		{fixture, bin, "grpc", `--transport grpc: unknown transport (known: exec, plugin, agent)`},
		{fixture, bin, "exec,exec", "--transport exec: given twice"},
	} {
		var out, errOut bytes.Buffer
		st := run([]string{"--fixture", c.fixture, "--transport", c.transports, c.bin}, &out, &errOut)
		if st != exitUsage || out.Len() != 0 || strings.Count(errOut.String(), "\n") != 1 || !strings.Contains(errOut.String(), c.want) {
			t.Errorf("--transport %s %s: status %d, stdout %q, stderr %q", c.transports, c.bin, st, out.String(), errOut.String())
		}
	}
}
