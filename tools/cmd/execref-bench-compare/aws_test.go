package main

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/sdk/sdktest"
	"github.com/execref/execref/tools/internal/benchcompare"
)

// builtDir builds the main package at dir (relative to the repository's
// root) once per test process, and returns the directory holding the
// program, named as its package directory, as make puts it in bin/ or the
// bench tools' directory.
func builtDir(t *testing.T, dir string) string {
	t.Helper()
	return filepath.Dir(sdktest.Cached(t, filepath.Join("..", "..", "..", dir)))
}

// runOnce runs a pair through benchcompare.Run with one measured run of
// each side (and the unmeasured one before), which checks every answer
// in full.
func runOnce(t *testing.T, p benchcompare.Pair) benchcompare.Result {
	t.Helper()
	p.Runs = 1
	r, err := benchcompare.Run(context.Background(), p, benchcompare.Options{Runs: 1, MinRuns: 1, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if r.A.Runs != 1 || r.B.Runs != 1 {
		t.Errorf("%s: runs A %d, B %d, want 1 each", p.Case, r.A.Runs, r.B.Runs)
	}
	return r
}

// awsTestEnv builds our AWS resolver and fakeaws-server and starts the
// AWS backend for sizes.
func awsTestEnv(t *testing.T, sizes []int) (*backend, *fakeAWS) {
	t.Helper()
	e := &env{
		bin:   builtDir(t, "resolvers/aws/cmd/openclaw-aws-resolver"),
		tools: builtDir(t, "resolvers/aws/internal/cmd/fakeaws-server"),
		work:  t.TempDir(),
		sizes: sizes,
	}
	t.Cleanup(e.close)
	b, fake, err := startAWSBackend(e)
	if err != nil {
		t.Fatal(err)
	}
	return b, fake
}

// Our resolver, started as the gateway starts it with only the static
// keys, the region and --endpoint-url (no HOME), answers batches of 1, 64
// and 512 ids naming as many distinct secrets with every value right,
// and asks nothing of the instance metadata service: with its endpoint
// pointed at the fake, the fake saw only AWS API calls.
func TestAWSBackend(t *testing.T) {
	sizes := []int{1, 64, 512}
	b, fake := awsTestEnv(t, sizes)
	if b.name != "aws" || len(b.pairs) != 0 {
		t.Errorf("backend %q with %d pairs, want aws with none of its own", b.name, len(b.pairs))
	}
	for _, n := range sizes {
		proc, want, err := b.ours(n)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) != n {
			t.Fatalf("ours(%d): %d values", n, len(want))
		}
		values := map[string]bool{}
		for id, v := range want {
			name, ok := strings.CutPrefix(id, "sm:")
			if !ok || !strings.Contains(v, name) {
				t.Fatalf("ours(%d): id %q: its value does not hold the secret's name", n, id)
			}
			values[v] = true
		}
		if len(values) != n {
			t.Fatalf("ours(%d): %d distinct values, want %d distinct secrets", n, len(values), n)
		}
		if _, ok := proc.Provider.Env["HOME"]; ok {
			t.Errorf("ours(%d) sets HOME; the gateway passes none", n)
		}
		runOnce(t, benchcompare.Pair{Section: "aws", Case: idsCase(n), IDs: n,
			A: benchcompare.Side{Name: "ours", Procs: []benchcompare.Proc{proc}},
			B: benchcompare.Side{Name: "ours again", Procs: []benchcompare.Proc{proc}},
		})
	}

	// The same run with the SDK's instance metadata endpoint at the fake:
	// a lookup there would be a stray request, which fails the fake's
	// exit.
	proc, _, err := b.ours(1)
	if err != nil {
		t.Fatal(err)
	}
	proc.Provider.Env = maps.Clone(proc.Provider.Env)
	proc.Provider.Env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = fake.ready.Endpoint
	runOnce(t, benchcompare.Pair{Section: "aws", Case: "metadata at the fake", IDs: 1,
		A: benchcompare.Side{Name: "ours", Procs: []benchcompare.Proc{proc}},
		B: benchcompare.Side{Name: "ours again", Procs: []benchcompare.Proc{proc}},
	})
	fake.stop(awsStopWait)
	if err := fake.exitErr(); err != nil {
		t.Errorf("fakeaws-server: %v", err)
	}
}

// The fake checks signatures, so a run is timed only when the resolver
// signs with the spec's key; batches beyond the fake's secrets are
// refused rather than answered with fewer ids.
func TestAWSBackendRefuses(t *testing.T) {
	b, _ := awsTestEnv(t, []int{1, 8})
	proc, _, err := b.ours(1)
	if err != nil {
		t.Fatal(err)
	}
	proc.Provider.Env = maps.Clone(proc.Provider.Env)
	proc.Provider.Env["AWS_SECRET_ACCESS_KEY"] = "not-the-key"
	p := benchcompare.Pair{Section: "aws", Case: "wrong key", IDs: 1,
		A:    benchcompare.Side{Name: "ours", Procs: []benchcompare.Proc{proc}},
		B:    benchcompare.Side{Name: "ours again", Procs: []benchcompare.Proc{proc}},
		Runs: 1,
	}
	_, err = benchcompare.Run(context.Background(), p, benchcompare.Options{Runs: 1, MinRuns: 1, Timeout: time.Minute})
	if !errors.Is(err, benchcompare.ErrExit) || !strings.Contains(err.Error(), "InvalidSignatureException") {
		t.Errorf("a run signed with the wrong secret key: %v, want the resolver's exit on InvalidSignatureException", err)
	}
	for _, n := range []int{0, 9} {
		if _, _, err := b.ours(n); err == nil {
			t.Errorf("ours(%d): no error; the fake holds 8 secrets", n)
		}
	}
}

// startFakeAWS reports a server that cannot start with its stderr, and
// a server that saw something other than AWS API calls in its exit.
func TestFakeAWSServer(t *testing.T) {
	server := filepath.Join(builtDir(t, "resolvers/aws/internal/cmd/fakeaws-server"), "fakeaws-server")
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"latency":"soon"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := startFakeAWS(server, bad); err == nil || !strings.Contains(err.Error(), `latency "soon"`) {
		t.Errorf("a bad spec: %v, want an error quoting the server's reason", err)
	}

	good := filepath.Join(dir, "good.json")
	if err := os.WriteFile(good, []byte(`{}`), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := startFakeAWS(server, good)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.stop(awsStopWait) })
	if err := f.exitErr(); err == nil {
		t.Error("exitErr is nil while the server runs")
	}
	resp, err := http.Get(f.ready.Endpoint + "/latest/api/token")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	f.stop(awsStopWait)
	if err := f.exitErr(); err == nil || !strings.Contains(err.Error(), "GET /latest/api/token") {
		t.Errorf("after a stray request: %v, want an error naming it", err)
	}
}
