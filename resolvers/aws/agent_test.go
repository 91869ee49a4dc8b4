package aws_test

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/aws"
	"github.com/execref/execref/resolvers/aws/internal/fakeaws"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// These tests run openclaw-aws-resolver as an agent, started as an
// operator starts one for a provider (its args, exactly its env), and
// send it batches the way the gateway does: the built binary run by the
// host runner with --agent in its args. With a role the fake requires, a
// value can only come from the assumed role's credentials, so every right
// value also proves which credentials the agent kept.

// warmAgent is one running agent.
type warmAgent struct{ *sdktest.Agent }

// startWarmAgent starts the agent for provider p with its args and
// --verbose, exactly its environment, in the command's directory, and
// waits until it listens.
func startWarmAgent(t *testing.T, p host.Provider) *warmAgent {
	t.Helper()
	p.Args = append(slices.Clone(p.Args), "--verbose")
	return &warmAgent{sdktest.StartAgent(t, p)}
}

// via is p forwarding its batches to the agent, with a deadline long
// enough that a loaded test machine does not send it cold: the agent gets
// half of --timeout.
func (a *warmAgent) via(p host.Provider) host.Provider {
	p = a.Via(p)
	p.Args = append(p.Args, "--timeout", "16s")
	p.TimeoutMs, p.NoOutputTimeoutMs = 20000, 20000
	return p
}

// batch runs the ids of want through the host runner with --agent and
// requires the agent to have answered each with its value, and its
// stderr and the exec side's to hold none of them.
func (a *warmAgent) batch(t *testing.T, p host.Provider, want map[string]string) {
	t.Helper()
	ids := slices.Sorted(maps.Keys(want))
	o := exec(t, a.via(p), slices.Collect(maps.Values(want)), ids...)
	if o.run.ExitCode != 0 {
		t.Fatalf("exit %d:\n%s\nagent:\n%s", o.run.ExitCode, o.run.Stderr, a.Log)
	}
	if !strings.Contains(string(o.run.Stderr), "answered by the agent on "+a.Socket) {
		t.Errorf("not answered by the agent:\n%s\nagent:\n%s", o.run.Stderr, a.Log)
	}
	checkValues(t, o.resp, want)
	noSecrets(t, a.Log.String(), append(slices.Collect(maps.Values(want)), fakeaws.SecretAccessKey))
}

// stop sends SIGTERM and requires a clean exit, its socket removed.
func (a *warmAgent) stop(t *testing.T) {
	t.Helper()
	if err := a.Stop(t); err != nil || !strings.Contains(a.Log.String(), "stopping: received terminated") {
		t.Errorf("after SIGTERM: %v\n%s", err, a.Log)
	}
	if _, err := os.Lstat(a.Socket); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the socket is still there after the agent stopped: %v", err)
	}
}

// seedWarm puts n plain secrets, n JSON secrets and n parameters whose
// values name their own item, and returns an id of each with its value.
func seedWarm(f *fakeaws.Server, n int) map[string]string {
	want := map[string]string{}
	for i := 1; i <= n; i++ {
		plain, doc, param := fmt.Sprintf("warm/plain-%d", i), fmt.Sprintf("warm/doc-%d", i), fmt.Sprintf("/warm/param-%d", i)
		f.PutSecretString(plain, "value of secret "+plain)
		want["sm:"+plain] = "value of secret " + plain
		f.PutSecretString(doc, fmt.Sprintf(`{"key":"key of secret %s","other":"other of secret %s"}`, doc, doc))
		want["sm:"+doc+"#key"] = "key of secret " + doc
		f.PutParameter(param, fakeaws.TypeSecureString, "value of parameter "+param)
		want["ssm:"+param] = "value of parameter " + param
	}
	return want
}

// some is every k-th id of want from the i-th, with its value.
func some(want map[string]string, i, k int) map[string]string {
	out := map[string]string{}
	for j, id := range slices.Sorted(maps.Keys(want)) {
		if j%k == i%k {
			out[id] = want[id]
		}
	}
	return out
}

// roleWorld is a fake that lets only an assumed role read, seeded, and a
// provider that assumes the role.
func roleWorld(t *testing.T) (*world, host.Provider, map[string]string) {
	w := newWorld(t)
	want := seedWarm(w.fake, 4)
	role := fakeaws.RoleARN("openclaw-reader")
	w.fake.AddRole(role, "ext-warm")
	w.fake.RequireRole(role)
	return w, w.provider(nil, "--role-arn", role, "--external-id", "ext-warm"), want
}

// dataCallKeys lists the access keys the Secrets Manager and SSM calls
// from the n-th request on were signed with.
func dataCallKeys(f *fakeaws.Server, from int) []string {
	var keys []string
	for _, r := range f.Requests()[from:] {
		if r.Service != fakeaws.ServiceSTS {
			keys = append(keys, r.AccessKeyID)
		}
	}
	return slices.Compact(keys)
}

// The agent assumes the role once and answers batch after batch with it,
// concurrent ones too, each with its own values (fetched anew: a value
// rotated between batches is the new one); on SIGTERM it stops cleanly,
// and the exec side then resolves cold, as rightly.
func TestAgentKeepsAssumedRole(t *testing.T) {
	t.Parallel()
	w, p, want := roleWorld(t)
	a := startWarmAgent(t, p)

	a.batch(t, p, want)
	for i := range 3 {
		a.batch(t, p, some(want, i, 3))
	}
	w.fake.PutSecretString("warm/plain-2", "rotated value of secret warm/plain-2")
	want["sm:warm/plain-2"] = "rotated value of secret warm/plain-2"
	a.batch(t, p, want)

	// Concurrent batches share the session: still one AssumeRole.
	var wg sync.WaitGroup
	runs := make([]*host.Run, 4)
	errs := make([]error, 4)
	for i := range runs {
		wg.Go(func() {
			ids := slices.Sorted(maps.Keys(some(want, i, 2)))
			req := protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: providerName, IDs: ids})
			vp := a.via(p)
			vp.Args = append(vp.Args, "--verbose")
			retryBusy(func() error {
				runs[i], errs[i] = gateway.Exec(t.Context(), providerName, vp, req)
				return errs[i]
			})
		})
	}
	wg.Wait()
	for i, run := range runs {
		if run == nil || run.ExitCode != 0 || !strings.Contains(string(run.Stderr), "answered by the agent") {
			t.Fatalf("concurrent batch %d: %v %+v", i, errs[i], run)
		}
		sub := some(want, i, 2)
		res, err := host.ParseResponse(providerName, run.Stdout, slices.Sorted(maps.Keys(sub)), true)
		if err != nil {
			t.Fatalf("concurrent batch %d: %v", i, err)
		}
		checkValues(t, res, sub)
	}

	calls := w.fake.AssumeRoleCalls()
	if len(calls) != 1 {
		t.Fatalf("%d AssumeRole calls for 9 batches, want 1: %+v", len(calls), calls)
	}
	if keys := dataCallKeys(w.fake, 0); len(keys) != 1 || keys[0] != calls[0].IssuedAccessKeyID {
		t.Errorf("data calls signed with %v, want only the role's %s", keys, calls[0].IssuedAccessKeyID)
	}
	log := a.Log.String()
	if n := strings.Count(log, "AWS configuration: opened"); n != 1 || !strings.Contains(log, "AWS configuration: reused") {
		t.Errorf("the agent opened its configuration %d times (want 1) or never reused it:\n%s", n, log)
	}
	for _, r := range w.fake.Requests() {
		noSecrets(t, log, []string{r.SessionToken})
	}

	a.stop(t)
	o := exec(t, a.via(p), slices.Collect(maps.Values(want)), slices.Sorted(maps.Keys(want))...)
	if o.run.ExitCode != 0 || !strings.Contains(string(o.run.Stderr), "resolving cold") {
		t.Fatalf("after the agent stopped: exit %d\n%s", o.run.ExitCode, o.run.Stderr)
	}
	checkValues(t, o.resp, want)
}

// Credentials nearing their expiry are replaced while the agent keeps
// them: the fake's sessions end a few seconds after the refresh window
// begins; the batch after that assumes the role exactly once more, before
// the first session has ended, and signs with the new credentials.
func TestAgentRefreshesCredentialsBeforeExpiry(t *testing.T) {
	t.Parallel()
	const margin = 3 * time.Second // batches before the window begins
	w, p, want := roleWorld(t)
	w.fake.SetSessionLifetime(aws.CredentialsRefreshWindow + margin)
	a := startWarmAgent(t, p)

	a.batch(t, p, some(want, 0, 2))
	first := w.fake.AssumeRoleCalls()
	if len(first) != 1 {
		t.Fatalf("%d AssumeRole calls after the first batch, want 1", len(first))
	}
	// The cache renews the credentials a window before their Expiration.
	time.Sleep(time.Until(first[0].Expiration.Add(-aws.CredentialsRefreshWindow)) + 100*time.Millisecond)

	seen := len(w.fake.Requests())
	a.batch(t, p, want)
	calls := w.fake.AssumeRoleCalls()
	if len(calls) != 2 {
		t.Fatalf("%d AssumeRole calls, want 2: one more once the credentials neared their expiry", len(calls))
	}
	if !time.Now().Before(first[0].Expiration) {
		t.Errorf("the first credentials had expired when they were replaced: not before their expiry")
	}
	if keys := dataCallKeys(w.fake, seen); len(keys) != 1 || keys[0] != calls[1].IssuedAccessKeyID {
		t.Errorf("the batch after the refresh signed with %v, want only the new %s", keys, calls[1].IssuedAccessKeyID)
	}
}

// Credentials AWS starts refusing while the agent keeps them
// (ExpiredTokenException) cost that batch one new AssumeRole, not its
// values: the agent forgets them, loads the configuration anew and
// fetches again, and the following batches use the new session.
func TestAgentRecoversFromRefusedCredentials(t *testing.T) {
	t.Parallel()
	w, p, want := roleWorld(t)
	a := startWarmAgent(t, p)

	a.batch(t, p, want)
	w.fake.ExpireKey(w.fake.AssumeRoleCalls()[0].IssuedAccessKeyID)
	a.batch(t, p, want)
	if !strings.Contains(a.Log.String(), "AWS refused the credentials kept from an earlier batch (ExpiredTokenException)") {
		t.Errorf("the agent did not say it dropped refused credentials:\n%s", a.Log)
	}
	calls := w.fake.AssumeRoleCalls()
	if len(calls) != 2 {
		t.Fatalf("%d AssumeRole calls, want 2: one more after the refusal", len(calls))
	}

	seen := len(w.fake.Requests())
	a.batch(t, p, some(want, 1, 2))
	if n := len(w.fake.AssumeRoleCalls()); n != 2 {
		t.Errorf("%d AssumeRole calls after recovering, want still 2", n)
	}
	if keys := dataCallKeys(w.fake, seen); len(keys) != 1 || keys[0] != calls[1].IssuedAccessKeyID {
		t.Errorf("the batch after recovering signed with %v, want only the new %s", keys, calls[1].IssuedAccessKeyID)
	}
}
