package aws_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/aws/internal/fakeaws"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// These tests build openclaw-aws-resolver, install it as an operator
// would, and run it through the SDK's host runner exactly as the gateway
// runs it (an empty gateway environment: everything comes from the
// provider's env; its own directory as cwd; the gateway's limits and
// response parsing), against fakeaws, an in-process fake of Secrets
// Manager, SSM and STS that speaks their wire protocols on 127.0.0.1.
//
// Loopback only: every provider sets AWS_EC2_METADATA_DISABLED=true and
// static credentials (or a profile, or none when that is the point), and
// points AWS_EC2_METADATA_SERVICE_ENDPOINT at the fake too, so that even
// an SDK that ignored the first would reach the fake (which lists such
// requests in Stray, checked after every run) rather than 169.254.169.254.

// gateway is an empty gateway environment: only a provider's env reaches
// the resolver.
var gateway = &host.Runner{LookupEnv: func(string) (string, bool) { return "", false }}

const providerName = "aws"

// world is one fake AWS and one installed resolver pointed at it.
type world struct {
	fake *fakeaws.Server
	bin  string
}

func newWorld(t testing.TB) *world {
	t.Helper()
	fake := fakeaws.Start(t)
	bin := sdktest.Install(t, sdktest.Cached(t, "./cmd/openclaw-aws-resolver"), nil)
	w := &world{fake: fake, bin: bin}
	t.Cleanup(func() {
		if stray := fake.Stray(); len(stray) > 0 {
			t.Errorf("requests that were not AWS API calls reached the fake: %v", stray)
		}
	})
	return w
}

// baseEnv is the loopback-only environment every provider starts from:
// static credentials, the region, no instance metadata.
func (w *world) baseEnv() map[string]string {
	return map[string]string{
		"AWS_ACCESS_KEY_ID":                 fakeaws.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY":             fakeaws.SecretAccessKey,
		"AWS_REGION":                        w.fake.Region,
		"AWS_EC2_METADATA_DISABLED":         "true",
		"AWS_EC2_METADATA_SERVICE_ENDPOINT": w.fake.URL,
	}
}

// provider runs the resolver against the fake with the base environment
// changed by env (a "" value removes a variable) and args after
// --endpoint-url.
func (w *world) provider(env map[string]string, args ...string) host.Provider {
	e := w.baseEnv()
	for k, v := range env {
		if v == "" {
			delete(e, k)
		} else {
			e[k] = v
		}
	}
	return host.Provider{
		Source: "exec", Command: w.bin, Env: e,
		Args: append([]string{"--endpoint-url", w.fake.URL}, args...),
	}
}

// busy reports a start that failed with ETXTBSY: parallel tests install
// their own copy of the binary, and a process forked by another test
// while a copy was being written holds it open for writing until it execs
// (golang.org/issue/22315). Starting again a moment later succeeds.
func busy(err error) bool {
	var pe *host.ProviderError
	return errors.As(err, &pe) && errors.Is(pe.Err, host.ErrStart) && errors.Is(pe.Cause, syscall.ETXTBSY)
}

// retryBusy runs f until its error is not ETXTBSY, a few times at most.
func retryBusy(f func() error) {
	for i := 0; i < 50 && busy(f()); i++ {
		time.Sleep(20 * time.Millisecond)
	}
}

// gatewayResolve is gateway.Resolve, started again after ETXTBSY.
func gatewayResolve(ctx context.Context, p host.Provider, ids []string) (res map[string]host.Result, err error) {
	retryBusy(func() error {
		res, err = gateway.Resolve(ctx, providerName, p, ids)
		return err
	})
	return res, err
}

// resolve runs ids through the gateway's whole path (checks, run, parse)
// and requires it to work as a whole.
func resolve(t testing.TB, p host.Provider, ids ...string) map[string]host.Result {
	t.Helper()
	res, err := gatewayResolve(context.Background(), p, ids)
	if err != nil {
		t.Fatalf("resolve: %v", err)
	}
	return res
}

// outcome is one run of the resolver with --verbose: its status, its
// parsed response (when it exited 0) and its stderr.
type outcome struct {
	run  *host.Run
	resp map[string]host.Result
}

// exec runs the resolver on ids with --verbose added, checks that stderr
// holds none of secrets (and no credential), and parses stdout as the
// gateway does when the status is 0.
func exec(t testing.TB, p host.Provider, secrets []string, ids ...string) outcome {
	t.Helper()
	p.Args = append(slices.Clone(p.Args), "--verbose")
	req := protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: providerName, IDs: ids})
	var run *host.Run
	var err error
	retryBusy(func() error {
		run, err = gateway.Exec(context.Background(), providerName, p, req)
		return err
	})
	if run == nil {
		t.Fatalf("did not run: %v", err)
	}
	noSecrets(t, string(run.Stderr), append(slices.Clone(secrets), p.Env["AWS_SECRET_ACCESS_KEY"], p.Env["AWS_SESSION_TOKEN"]))
	o := outcome{run: run}
	if run.ExitCode == 0 {
		o.resp, err = host.ParseResponse(providerName, run.Stdout, ids, true)
		if err != nil {
			t.Fatalf("response: %v\nstderr: %s", err, run.Stderr)
		}
	}
	return o
}

func noSecrets(t testing.TB, stderr string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(stderr, s) {
			t.Errorf("stderr holds a secret (%d bytes starting %q):\n%s", len(s), s[:min(4, len(s))], stderr)
		}
	}
}

// fails runs ids and requires a whole-provider failure: this exit status,
// nothing on stdout, and a last stderr line containing every one of want.
func fails(t testing.TB, p host.Provider, status int, want []string, ids ...string) {
	t.Helper()
	o := exec(t, p, nil, ids...)
	last := lastLine(o.run.Stderr)
	ok := o.run.ExitCode == status && len(o.run.Stdout) == 0
	for _, w := range want {
		ok = ok && strings.Contains(last, w)
	}
	if !ok {
		t.Errorf("exit %d (want %d), stdout %d bytes, last stderr line %q (want it to contain %q)\nstderr: %s",
			o.run.ExitCode, status, len(o.run.Stdout), last, want, o.run.Stderr)
	}
}

func lastLine(stderr []byte) string {
	lines := strings.Split(strings.TrimSuffix(string(stderr), "\n"), "\n")
	return lines[len(lines)-1]
}

// checkValues requires every id of want to have resolved to its exact
// value.
func checkValues(t testing.TB, res map[string]host.Result, want map[string]string) {
	t.Helper()
	for _, id := range slices.Sorted(maps.Keys(want)) {
		r := res[id]
		if r.Err != nil {
			t.Errorf("%s: %v", id, r.Err)
		} else if r.Value != want[id] {
			got, _ := r.Value.(string)
			t.Errorf("%s: wrong value (%d bytes, want %d)%s", id, len(got), len(want[id]), diffHint(got, want[id]))
		}
	}
}

// diffHint locates the first difference without printing either value.
func diffHint(got, want string) string {
	n := min(len(got), len(want))
	for i := 0; i < n; i++ {
		if got[i] != want[i] {
			return " first difference at byte " + strconv.Itoa(i)
		}
	}
	return ""
}

// checkCodes requires every id of want to have failed with its code, and
// its message to contain the given fragments (case-insensitively).
func checkCodes(t testing.TB, res map[string]host.Result, want map[string]protocol.Code, fragments map[string][]string) {
	t.Helper()
	for _, id := range slices.Sorted(maps.Keys(want)) {
		r := res[id]
		var pe *protocol.Error
		if !errors.As(r.Err, &pe) || pe.Code != want[id] {
			t.Errorf("%s: got %v (value set: %v), want %s", id, r.Err, r.Value != nil, want[id])
			continue
		}
		for _, f := range fragments[id] {
			if !strings.Contains(strings.ToLower(pe.Message), strings.ToLower(f)) {
				t.Errorf("%s: message %q does not mention %q", id, pe.Message, f)
			}
		}
	}
}
