package plugin_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/plugin"
	"github.com/execref/execref/sdk/plugin/handshake"
	"github.com/execref/execref/sdk/sdktest"
)

const jsonfileResolver = "../examples/openclaw-jsonfile-resolver"

// slimJSONFile is the example resolver as go install builds it: without
// the execref_plugin tag.
func slimJSONFile(t *testing.T) string {
	t.Helper()
	bin, err := sdktest.BuildWithoutPlugin(t.TempDir(), jsonfileResolver)
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// A default build started by a go-plugin host says why it will not serve
// and exits with ExitNotServed at once: one line on stderr, nothing on
// stdout, stdin never read (it is left open: a resolver reading it would
// wait for its --timeout and exit 65 instead).
func TestDefaultBuildRefusesGoPlugin(t *testing.T) {
	bin := slimJSONFile(t)
	stdinR, stdinW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdinW.Close()
	defer stdinR.Close()
	var stdout, stderr strings.Builder
	cmd := exec.Command(bin, "--file", "secrets.json")
	cmd.Env = []string{handshake.CookieKey + "=" + handshake.CookieValue}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdinR, &stdout, &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != handshake.ExitNotServed {
		t.Fatalf("%v, want exit status %d", err, handshake.ExitNotServed)
	}
	if want := "openclaw-jsonfile-resolver: " + handshake.NotServed + "\n"; stderr.String() != want {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout %q, want nothing", stdout.String())
	}
}

// The build with the tag serves go-plugin (as every Runner test shows);
// CheckBuild tells the two apart from their build information, and says
// nothing of programs it cannot judge.
func TestCheckBuild(t *testing.T) {
	slim := slimJSONFile(t)
	var nse *plugin.NotServedError
	if err := plugin.CheckBuild(slim); !errors.As(err, &nse) || nse.Command != slim || !errors.Is(err, plugin.ErrNotServed) {
		t.Errorf("CheckBuild(default build) = %v, want a *NotServedError for %s", err, slim)
	}
	if err := plugin.CheckBuild(sdktest.Cached(t, jsonfileResolver)); err != nil {
		t.Errorf("CheckBuild(build with -tags %s) = %v, want nil", handshake.BuildTag, err)
	}
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(t.TempDir(), "script")
	if err := os.WriteFile(script, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, other := range []string{gotool, script, filepath.Join(t.TempDir(), "missing")} {
		if err := plugin.CheckBuild(other); err != nil {
			t.Errorf("CheckBuild(%s) = %v, want nil: only running it can tell", other, err)
		}
	}
}

// wantNotServed requires the Runner's error for a resolver that does not
// serve go-plugin: the provider's error, naming command and the tag.
func wantNotServed(t *testing.T, err error, command string) {
	t.Helper()
	var pe *host.ProviderError
	switch {
	case !errors.Is(err, plugin.ErrNotServed):
		t.Fatalf("%v, want ErrNotServed", err)
	case !errors.Is(err, host.ErrStart) || !errors.As(err, &pe) || pe.Provider != "test":
		t.Errorf("%#v, want the provider's *host.ProviderError (ErrStart)", err)
	}
	for _, want := range []string{command + " does not serve go-plugin", "-tags " + handshake.BuildTag} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
}

// The Runner refuses a default build before starting it: the process
// never ran, so it wrote nothing.
func TestRunnerRefusesDefaultBuild(t *testing.T) {
	r, stderr := newRunner(t)
	cmd := sdktest.Install(t, slimJSONFile(t), map[string][]byte{"secrets.json": jsonValues})
	p := host.Provider{Source: "exec", Command: cmd}
	for range 2 {
		_, err := r.Resolve(context.Background(), "test", p, []string{"openai/apiKey"})
		wantNotServed(t, err, cmd)
	}
	if stderr.String() != "" {
		t.Errorf("the resolver was started: its stderr says %q", stderr.String())
	}
}

// Through a wrapper whose build information says nothing, the refusal
// the resolver prints is recognized: the same error, not an exit status.
func TestRunnerRecognizesRefusal(t *testing.T) {
	r, stderr := newRunner(t)
	wrapper := sdktest.Install(t, slimJSONFile(t), map[string][]byte{"secrets.json": jsonValues})
	dir := filepath.Dir(wrapper)
	slim := filepath.Join(dir, "slim-resolver")
	if err := os.Rename(wrapper, slim); err != nil {
		t.Fatal(err)
	}
	if err := sdktest.WriteExecutable(wrapper, []byte("#!/bin/sh\nexec '"+slim+"' \"$@\"\n")); err != nil {
		t.Fatal(err)
	}
	_, err := r.Resolve(context.Background(), "test", host.Provider{Source: "exec", Command: wrapper}, []string{"openai/apiKey"})
	wantNotServed(t, err, wrapper)
	if !strings.Contains(stderr.String(), handshake.NotServed) {
		t.Errorf("the resolver's line did not reach the runner's stderr: %q", stderr.String())
	}
}
