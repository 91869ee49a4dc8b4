package plugin_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/plugin"
	"github.com/execref/execref/sdk/policy"
	"github.com/execref/execref/sdk/sdktest"
)

// noEnv is an empty host environment: only the provider's env reaches the
// resolver, under both runners.
func noEnv(string) (string, bool) { return "", false }

// newRunner is a plugin Runner closed when the test ends.
func newRunner(t *testing.T) (*plugin.Runner, *sdktest.Buffer) {
	t.Helper()
	stderr := &sdktest.Buffer{}
	r := &plugin.Runner{LookupEnv: noEnv, Stderr: stderr}
	t.Cleanup(func() { _ = r.Close() })
	return r, stderr
}

// outcome is a result reduced to what must be identical across runners.
type outcome struct {
	Value any
	Err   string
	Code  protocol.Code
}

func outcomes(res map[string]host.Result) map[string]outcome {
	out := map[string]outcome{}
	for id, r := range res {
		o := outcome{Value: r.Value}
		if r.Err != nil {
			o.Err, o.Code = r.Err.Error(), protocol.CodeOf(r.Err)
		}
		out[id] = o
	}
	return out
}

// both resolves ids through the exec host and through r, requires the
// same results and the same error, and returns them.
func both(t *testing.T, r *plugin.Runner, p host.Provider, ids ...string) (map[string]host.Result, error) {
	t.Helper()
	ctx := context.Background()
	execRes, execErr := (&host.Runner{LookupEnv: noEnv}).Resolve(ctx, "test", p, ids)
	plugRes, plugErr := r.Resolve(ctx, "test", p, ids)
	if !reflect.DeepEqual(outcomes(execRes), outcomes(plugRes)) {
		t.Errorf("ids %q: results differ\nexec:   %+v\nplugin: %+v", ids, outcomes(execRes), outcomes(plugRes))
	}
	if errText(execErr) != errText(plugErr) || providerErr(execErr) != providerErr(plugErr) {
		t.Errorf("ids %q: errors differ\nexec:   %T %v\nplugin: %T %v", ids, execErr, execErr, plugErr, plugErr)
	}
	return plugRes, plugErr
}

// providerErr is err's *host.ProviderError, fields and all, if it is one.
func providerErr(err error) host.ProviderError {
	var pe *host.ProviderError
	if errors.As(err, &pe) {
		return *pe
	}
	return host.ProviderError{}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// exitCode is the exit status of a whole-provider failure, -2 if err is
// not one.
func exitCode(err error) int {
	var pe *host.ProviderError
	if errors.As(err, &pe) && errors.Is(err, host.ErrExit) {
		return pe.ExitCode
	}
	return -2
}

func jsonfile(t *testing.T, files map[string][]byte) host.Provider {
	t.Helper()
	bin := sdktest.Install(t, sdktest.Cached(t, "../examples/openclaw-jsonfile-resolver"), files)
	return host.Provider{Source: "exec", Command: bin}
}

// Values hold their own id's name, so that an answer given to the wrong
// id could not pass.
var jsonValues = []byte(`{"openai/apiKey":"sk-openai/apiKey-1","github/token":"gh-github/token-2","db/url":"postgres://db/url:pw@h"}`)

func TestJSONFileSameAsExec(t *testing.T) {
	r, stderr := newRunner(t)
	p := jsonfile(t, map[string][]byte{"secrets.json": jsonValues})

	res, err := both(t, r, p, "openai/apiKey", "github/token", "db/url", "missing/key", "openai/apiKey")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"openai/apiKey", "github/token", "db/url"} {
		if v, _ := res[id].Value.(string); res[id].Err != nil || !strings.Contains(v, id) {
			t.Errorf("%s: %v, value holds its id: %v", id, res[id].Err, strings.Contains(v, id))
		}
	}
	if !errors.Is(res["missing/key"].Err, protocol.NotFound) {
		t.Errorf("missing/key: %v, want NOT_FOUND", res["missing/key"].Err)
	}

	// Ids the gateway refuses are refused before anything runs, with the
	// gateway's sentence, by both.
	for _, bad := range []string{"../etc/passwd", " ", "-x"} {
		if _, err := both(t, r, p, "openai/apiKey", bad); !errors.Is(err, protocol.InvalidID) {
			t.Errorf("%q: %v, want INVALID_ID", bad, err)
		}
	}

	// A whole-provider failure: the file is missing, a configuration error
	// (78) either way.
	p.Args = []string{"--file", "nowhere.json"}
	if _, err := both(t, r, p, "openai/apiKey"); exitCode(err) != 78 {
		t.Errorf("missing file: %v, want exit status 78", err)
	}
	for _, v := range []string{"sk-openai", "gh-github", "postgres://"} {
		if strings.Contains(stderr.String(), v) {
			t.Errorf("the runner's stderr holds a value (%q):\n%s", v, stderr)
		}
	}
}

func reference(t *testing.T, fixture string, args ...string) host.Provider {
	t.Helper()
	bin := sdktest.Install(t, sdktest.Cached(t, "../testdata/reference"), map[string][]byte{"fixture.json": []byte(fixture)})
	return host.Provider{Source: "exec", Command: bin, Args: args}
}

func TestReferenceSameAsExec(t *testing.T) {
	r, _ := newRunner(t)
	const values = `"values":{"a/one":"value-a/one","b/two":"value-b/two","c/three":"value-c/three"}`
	cases := []struct {
		name, fixture string
		args          []string
		ids           []string
		status        int // of a whole-provider failure, else 0
	}{
		{"per-id codes", `{` + values + `,"errors":{"b/two":"PERMISSION_DENIED","x":"RATE_LIMITED"}}`, nil, []string{"a/one", "b/two", "x", "nope"}, 0},
		{"slow id gets TIMEOUT", `{` + values + `,"delays":{"c/three":"3s"}}`, []string{"--timeout", "300ms"}, []string{"a/one", "c/three"}, 0},
		{"unavailable", `{"fail":"UNAVAILABLE"}`, nil, []string{"a/one"}, 69},
		{"credentials refused", `{"fail":"UNAUTHENTICATED"}`, nil, []string{"a/one"}, 77},
		{"panic", `{` + values + `,"panic":"b/two"}`, nil, []string{"a/one", "b/two"}, 70},
		{"bad flag", `{}`, []string{"--no-such-flag"}, []string{"a/one"}, 64},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := both(t, r, reference(t, c.fixture, c.args...), c.ids...)
			if c.status != 0 {
				if exitCode(err) != c.status {
					t.Errorf("%v, want exit status %d", err, c.status)
				}
				return
			}
			if err != nil || len(res) != len(c.ids) {
				t.Errorf("%v, %d results for %d ids", err, len(res), len(c.ids))
			}
		})
	}
}

// The deadline: timeoutMs ends a call that the resolver's own --timeout
// would let run on, as it ends an exec run, with the same error.
func TestTimeoutMs(t *testing.T) {
	r, _ := newRunner(t)
	p := reference(t, `{"values":{"a":"value-aaaa"},"delays":{"a":"3s"}}`, "--timeout", "10s")
	p.TimeoutMs = 400
	start := time.Now()
	_, err := both(t, r, p, "a")
	if !errors.Is(err, host.ErrTimeout) {
		t.Fatalf("%v, want ErrTimeout", err)
	}
	if d := time.Since(start); d > 2500*time.Millisecond {
		t.Errorf("both runs took %s, timeoutMs is 400ms each", d)
	}
	// The timed-out process was killed; the next call starts a new one.
	p.TimeoutMs = 0
	if res, err := r.Resolve(context.Background(), "test", p, []string{"b"}); err != nil || !errors.Is(res["b"].Err, protocol.NotFound) {
		t.Errorf("after a timeout: %v %+v", err, res)
	}
}

func crasher(t *testing.T) host.Provider {
	t.Helper()
	bin := sdktest.Install(t, sdktest.Cached(t, "./testdata/crasher"), nil)
	return host.Provider{Source: "exec", Command: bin}
}

// A resolver that dies in the middle of a call is reported as the exec
// host reports it (exit status, or the signal), and the next call starts
// a new process.
func TestCrashMidCall(t *testing.T) {
	r, _ := newRunner(t)
	p := crasher(t)
	pid := func() string {
		t.Helper()
		res, err := r.Resolve(context.Background(), "test", p, []string{"pid"})
		if err != nil {
			t.Fatal(err)
		}
		return res["pid"].Value.(string)
	}
	first := pid()
	if again := pid(); again != first {
		t.Errorf("the process was not kept: %s then %s", first, again)
	}
	if _, err := both(t, r, p, "a", "exit-3"); exitCode(err) != 3 {
		t.Errorf("exit-3: %v, want exit status 3", err)
	}
	_, err := both(t, r, p, "kill")
	var pe *host.ProviderError
	if !errors.As(err, &pe) || pe.Signal != "SIGKILL" {
		t.Errorf("kill: %v, want a SIGKILL", err)
	}
	if after := pid(); after == first {
		t.Errorf("a crashed process was reused (%s)", after)
	}
}

// The command-path policy refuses before anything is launched: a
// symlink, and a file of another owner, as for the exec host.
func TestPolicyBeforeLaunch(t *testing.T) {
	r, _ := newRunner(t)
	dir := t.TempDir()
	marker := filepath.Join(dir, "launched")
	script := filepath.Join(dir, "resolver")
	if err := os.WriteFile(script, []byte("#!/bin/sh\ntouch "+marker+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(script, link); err != nil {
		t.Fatal(err)
	}
	refused := []host.Provider{{Command: link}}
	if os.Geteuid() == 0 {
		other := filepath.Join(dir, "other")
		if err := os.WriteFile(other, []byte("#!/bin/sh\ntouch "+marker+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(other, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		refused = append(refused, host.Provider{Command: other})
	} else {
		t.Log("not root: the other-owner case needs chown")
	}
	for _, p := range refused {
		var pe *policy.Error
		if _, err := both(t, r, p, "a"); !errors.As(err, &pe) {
			t.Errorf("%s: %v, want a *policy.Error", p.Command, err)
		}
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("a refused command was launched")
	}
}

// A resolver that logs its values (the reference logs each with
// --verbose): what reaches the runner's Stderr is redacted.
func TestStderrRedacted(t *testing.T) {
	r, stderr := newRunner(t)
	p := reference(t, `{"values":{"a":"secret-value-aaaa","b":"secret-value-bbbb"}}`, "--verbose")
	res, err := r.Resolve(context.Background(), "test", p, []string{"a", "b"})
	if err != nil || res["a"].Value != "secret-value-aaaa" {
		t.Fatalf("%v %+v", err, res)
	}
	if err := r.Close(); err != nil { // flushes what is left
		t.Fatal(err)
	}
	out := stderr.String()
	if !strings.Contains(out, "resolved a to") {
		t.Fatalf("the resolver's --verbose lines did not arrive:\n%s", out)
	}
	if strings.Contains(out, "secret-value") {
		t.Errorf("stderr holds a value:\n%s", out)
	}
}

func TestClosedRunnerRefuses(t *testing.T) {
	r, _ := newRunner(t)
	p := crasher(t)
	if _, err := r.Resolve(context.Background(), "test", p, []string{"a"}); err != nil {
		t.Fatal(err)
	}
	_ = r.Close()
	if _, err := r.Resolve(context.Background(), "test", p, []string{"a"}); !errors.Is(err, host.ErrStart) {
		t.Errorf("after Close: %v, want ErrStart", err)
	}
}

// Concurrent calls for one provider share its process.
func TestConcurrentCalls(t *testing.T) {
	r, _ := newRunner(t)
	p := crasher(t)
	var wg sync.WaitGroup
	pids := make([]string, 8)
	for i := range pids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := r.Resolve(context.Background(), "test", p, []string{"pid", "x"})
			if err != nil {
				t.Error(err)
				return
			}
			pids[i], _ = res["pid"].Value.(string)
		}()
	}
	wg.Wait()
	for _, pid := range pids {
		if pid != pids[0] {
			t.Fatalf("calls used different processes: %q", pids)
		}
	}
}
