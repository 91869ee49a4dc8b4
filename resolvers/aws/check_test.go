package aws_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/aws/internal/fakeaws"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/check"
	"github.com/execref/execref/sdk/host"
)

// These tests run `openclaw-aws-resolver [args] check`, built and
// installed, through the host runner with the gateway's empty environment
// (everything from the provider's env), against the fake AWS, as a doctor
// runs it.

// runCheck runs the check and requires a well-formed report, a summary on
// stderr, and no credential in either: not the secret key, not the whole
// access key id.
func runCheck(t *testing.T, p host.Provider) (*host.Run, check.Output) {
	t.Helper()
	p.Args = append(slices.Clone(p.Args), "check")
	var run *host.Run
	var err error
	retryBusy(func() error {
		run, err = gateway.Exec(context.Background(), providerName, p, nil)
		return err
	})
	if run == nil {
		t.Fatalf("did not run: %v", err)
	}
	text := string(run.Stdout) + string(run.Stderr)
	noSecrets(t, text, []string{fakeaws.SecretAccessKey, fakeaws.AccessKeyID, p.Env["AWS_SECRET_ACCESS_KEY"]})
	out, err := check.Decode(run.Stdout)
	if err != nil {
		t.Fatalf("stdout: %v: %q\nstderr: %s", err, run.Stdout, run.Stderr)
	}
	if !strings.Contains(string(run.Stderr), out.Verdict()) {
		t.Errorf("no summary on stderr: %s", run.Stderr)
	}
	return run, out
}

func detail(out check.Output, name string) (check.Status, string) {
	for _, c := range out.Checks {
		if c.Name == name {
			return c.Status, c.Detail
		}
	}
	return "", ""
}

// checkFails requires the first failure to be name, with code and exit
// status, its detail holding each of words.
func checkFails(t *testing.T, p host.Provider, status int, name string, code protocol.Code, words ...string) {
	t.Helper()
	run, out := runCheck(t, p)
	fails := out.Failures()
	if run.ExitCode != status || len(fails) == 0 || fails[0].Name != name || fails[0].Code != code {
		t.Fatalf("exit %d (want %d), failures %+v (want %s %s)\nstderr: %s", run.ExitCode, status, fails, name, code, run.Stderr)
	}
	for _, w := range words {
		if !strings.Contains(fails[0].Detail, w) {
			t.Errorf("%s: detail %q does not say %q", name, fails[0].Detail, w)
		}
	}
}

func TestCheckPasses(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	seed(w.fake)
	run, out := runCheck(t, w.provider(nil))
	if run.ExitCode != 0 || !out.OK {
		t.Fatalf("exit %d\n%s", run.ExitCode, run.Stderr)
	}
	for name, want := range map[string]string{
		"region":                  "us-east-1 (AWS_REGION)",
		"credentials":             "access key AKIA…0001 from the environment (AWS_ACCESS_KEY_ID) [EnvConfigCredentials]",
		"identity":                fakeaws.UserARN + " in account " + fakeaws.AccountID + " (STS at " + w.fake.URL + ")",
		"endpoint secretsmanager": w.fake.URL + " (STS's, which answered)",
		"endpoint ssm":            w.fake.URL + " (STS's, which answered)",
	} {
		if st, d := detail(out, name); st != check.StatusOK || d != want {
			t.Errorf("%s: %s %q, want ok %q", name, st, d, want)
		}
	}
	// One identity call, and nothing read.
	if n := w.fake.Calls(fakeaws.OpGetCallerIdentity); n != 1 {
		t.Errorf("%d GetCallerIdentity calls, want 1", n)
	}
	for _, r := range w.fake.Requests() {
		if r.Op != fakeaws.OpGetCallerIdentity {
			t.Errorf("the check called %s", r.Op)
		}
	}
}

func TestCheckCredentialFaults(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	checkFails(t, w.provider(map[string]string{"AWS_ACCESS_KEY_ID": "AKIAUNKNOWN000000000"}), sdk.ExitNoPerm, "identity", protocol.Unauthenticated,
		"AWS rejected the credentials: InvalidClientTokenId")
	checkFails(t, w.provider(map[string]string{"AWS_SECRET_ACCESS_KEY": "not/the/secret/key/0000000000000000000000"}), sdk.ExitNoPerm, "identity", protocol.Unauthenticated,
		"AWS rejected the credentials: SignatureDoesNotMatch")
	checkFails(t, w.provider(map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}), sdk.ExitConfig, "credentials", check.CodeConfig,
		"no AWS credentials: pass AWS_ACCESS_KEY_ID")
	checkFails(t, w.provider(map[string]string{"AWS_REGION": ""}), sdk.ExitConfig, "region", check.CodeConfig, "no region: set AWS_REGION")
}

func TestCheckAssumeRole(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	role := fakeaws.RoleARN("openclaw-reader")
	w.fake.AddRole(role, "ext-7f3a")
	run, out := runCheck(t, w.provider(nil, "--role-arn", role, "--external-id", "ext-7f3a"))
	st, d := detail(out, "assume role")
	if run.ExitCode != 0 || st != check.StatusOK || !strings.Contains(d, role+" as arn:aws:sts::"+fakeaws.AccountID+":assumed-role/openclaw-reader/openclaw-aws-resolver") {
		t.Fatalf("exit %d, assume role %s %q\n%s", run.ExitCode, st, d, run.Stderr)
	}
	if calls := w.fake.AssumeRoleCalls(); len(calls) != 1 || calls[0].ExternalID != "ext-7f3a" {
		t.Errorf("AssumeRole calls %+v", calls)
	}
	// The base credentials pass; the role refuses them.
	checkFails(t, w.provider(nil, "--role-arn", role, "--external-id", "wrong"), sdk.ExitNoPerm, "assume role", protocol.PermissionDenied,
		"AccessDenied", "not authorized to perform: sts:AssumeRole")
}

// An endpoint that does not answer: STS's, or only SSM's.
func TestCheckUnreachable(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	closed := closedURL(t)
	p := w.provider(nil)
	p.Args = []string{"--endpoint-url", closed}
	checkFails(t, p, sdk.ExitUnavailable, "identity", protocol.Unavailable, "STS "+closed+" did not answer", "connection refused")

	other := httptest.NewServer(http.NotFoundHandler())
	defer other.Close()
	p = w.provider(map[string]string{"AWS_ENDPOINT_URL_SECRETS_MANAGER": other.URL, "AWS_ENDPOINT_URL_SSM": closed})
	run, out := runCheck(t, p)
	if st, d := detail(out, "endpoint secretsmanager"); st != check.StatusOK || d != other.URL+" answers (HTTP 404 to an unsigned request)" {
		t.Errorf("endpoint secretsmanager: %s %q\n%s", st, d, run.Stderr)
	}
	fails := out.Failures()
	if run.ExitCode != sdk.ExitUnavailable || len(fails) != 1 || fails[0].Name != "endpoint ssm" || !strings.Contains(fails[0].Detail, "connection refused") {
		t.Errorf("exit %d, failures %+v", run.ExitCode, fails)
	}
}

// closedURL is a loopback URL nothing listens on.
func closedURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	return url
}
