package sdk

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/check"
)

// checkBackend is a Backend and a Checker; Resolve must never run.
type checkBackend struct {
	t     *testing.T
	name  string // --name, to see flags parsed before Check
	check func(ctx context.Context, b *Batch, r *check.Report) error
}

func (c *checkBackend) RegisterFlags(fs *flag.FlagSet) { fs.StringVar(&c.name, "name", "", "a `name`") }

func (c *checkBackend) Resolve(context.Context, *Batch) error {
	c.t.Error("Resolve called by the check command")
	return nil
}

func (c *checkBackend) Check(ctx context.Context, b *Batch, r *check.Report) error {
	return c.check(ctx, b, r)
}

// unreadable fails the test if the check command reads stdin.
type unreadable struct{ t *testing.T }

func (u unreadable) Read([]byte) (int, error) {
	u.t.Error("the check command read stdin")
	return 0, errors.New("stdin is not for the check command")
}

type checkOutcome struct {
	status int
	out    check.Output
	stdout string
	stderr string
}

func runCheckCmd(t *testing.T, be Backend, args ...string) checkOutcome {
	t.Helper()
	var stdout, stderr bytes.Buffer
	status := Serve(Program{Name: "test-resolver", Summary: "a test", Backend: be}, append(args, "check"), unreadable{t}, &stdout, &stderr)
	o := checkOutcome{status: status, stdout: stdout.String(), stderr: stderr.String()}
	if strings.Count(o.stdout, "\n") != 1 || !strings.HasSuffix(o.stdout, "\n") {
		t.Fatalf("stdout is not one line: %q (stderr %q)", o.stdout, o.stderr)
	}
	out, err := check.Decode(stdout.Bytes())
	if err != nil {
		t.Fatalf("stdout: %v: %q", err, o.stdout)
	}
	o.out = out
	return o
}

func TestCheckWithoutChecker(t *testing.T) {
	be := &backendFunc{fn: func(context.Context, *Batch) error { t.Error("Resolve called"); return nil }}
	o := runCheckCmd(t, be)
	want := []check.Result{{Name: "self-check", Status: check.StatusWarn, Detail: "this resolver has no self-check"}}
	if o.status != ExitOK || !o.out.OK || fmt.Sprint(o.out.Checks) != fmt.Sprint(want) {
		t.Fatalf("status %d output %+v", o.status, o.out)
	}
	if !strings.Contains(o.stderr, "warn  self-check: this resolver has no self-check") {
		t.Errorf("stderr %q", o.stderr)
	}
}

func TestCheckPassesWithWarnings(t *testing.T) {
	be := &checkBackend{t: t}
	be.check = func(_ context.Context, b *Batch, r *check.Report) error {
		r.OK("name", "given as "+be.name)
		r.Warn("tls", "verification is off")
		return nil
	}
	o := runCheckCmd(t, be, "--name", "n1")
	if o.status != ExitOK || !o.out.OK || len(o.out.Checks) != 2 || o.out.Checks[0].Detail != "given as n1" || o.out.Checks[1].Status != check.StatusWarn {
		t.Fatalf("status %d output %+v", o.status, o.out)
	}
	for _, want := range []string{"test-resolver: ok    name: given as n1\n", "test-resolver: warn  tls: verification is off\n", "test-resolver: all 2 checks passed (1 warning)\n"} {
		if !strings.Contains(o.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, o.stderr)
		}
	}
}

// Each failure class has its code and exit status; the first failure
// decides the status; the class's phrase is not repeated in the detail.
func TestCheckFailureClasses(t *testing.T) {
	cases := []struct {
		errs   []error
		status int
		codes  []protocol.Code
		detail string
	}{
		{[]error{fmt.Errorf("%w: VAULT_ADDR is not set", ErrConfig)}, ExitConfig, []protocol.Code{check.CodeConfig}, "VAULT_ADDR is not set"},
		{[]error{fmt.Errorf("%w: Vault refused the token", protocol.Unauthenticated)}, ExitNoPerm, []protocol.Code{protocol.Unauthenticated}, "Vault refused the token"},
		{[]error{fmt.Errorf("%w: connection refused", protocol.Unavailable)}, ExitUnavailable, []protocol.Code{protocol.Unavailable}, "connection refused"},
		{[]error{errors.New("odd")}, ExitFailure, []protocol.Code{protocol.Internal}, "odd"},
		{[]error{nil}, ExitFailure, []protocol.Code{protocol.Internal}, "the check failed without giving a reason"},
		{[]error{fmt.Errorf("%w: down", protocol.Unavailable), fmt.Errorf("%w: bad key", ErrConfig)}, ExitUnavailable,
			[]protocol.Code{protocol.Unavailable, check.CodeConfig}, "down"},
	}
	for _, c := range cases {
		be := &checkBackend{t: t, check: func(_ context.Context, _ *Batch, r *check.Report) error {
			r.OK("first", "fine")
			for i, err := range c.errs {
				r.Fail(fmt.Sprintf("check%d", i), err)
			}
			return nil
		}}
		o := runCheckCmd(t, be)
		fails := o.out.Failures()
		if o.status != c.status || o.out.OK || len(fails) != len(c.codes) {
			t.Errorf("%v: status %d (want %d) output %+v", c.errs, o.status, c.status, o.out)
			continue
		}
		for i, code := range c.codes {
			if fails[i].Code != code {
				t.Errorf("%v: check %d code %s, want %s", c.errs, i, fails[i].Code, code)
			}
		}
		if !strings.HasPrefix(fails[0].Detail, c.detail) {
			t.Errorf("%v: detail %q, want it to start with %q", c.errs, fails[0].Detail, c.detail)
		}
		if !strings.Contains(o.stderr, "FAIL  check0: "+string(c.codes[0])+": "+c.detail) {
			t.Errorf("%v: stderr %q", c.errs, o.stderr)
		}
	}
}

// What a check marks sensitive never reaches stdout or stderr, in any
// member of the report.
func TestCheckRedacts(t *testing.T) {
	const token = "hvs.secret-token-value"
	be := &checkBackend{t: t, check: func(_ context.Context, b *Batch, r *check.Report) error {
		b.Sensitive(token)
		r.OK("token "+token, "accepted: "+token)
		r.Warn("w", fmt.Sprintf("%q", token))
		r.Fail("f", fmt.Errorf("%w: refused %s", protocol.Unauthenticated, token))
		b.Warnf("warned about %s", token)
		return fmt.Errorf("returned %s", token)
	}}
	o := runCheckCmd(t, be, "--verbose")
	if strings.Contains(o.stdout+o.stderr, "secret-token") {
		t.Fatalf("leaked:\nstdout %s\nstderr %s", o.stdout, o.stderr)
	}
	if o.status != ExitNoPerm || o.out.Checks[0].Name != "token [REDACTED]" || len(o.out.Checks) != 4 || o.out.Checks[3].Name != "self-check" {
		t.Fatalf("status %d output %+v", o.status, o.out)
	}
}

func TestCheckPanicIsInternal(t *testing.T) {
	be := &checkBackend{t: t, check: func(_ context.Context, _ *Batch, r *check.Report) error {
		r.OK("before", "fine")
		panic("holds sk-secret-value")
	}}
	o := runCheckCmd(t, be)
	fails := o.out.Failures()
	if o.status != ExitInternal || len(fails) != 1 || fails[0].Code != protocol.Internal || o.out.Checks[0].Name != "before" {
		t.Fatalf("status %d output %+v", o.status, o.out)
	}
	if strings.Contains(o.stdout+o.stderr, "sk-secret") {
		t.Fatalf("panic value printed: %s %s", o.stdout, o.stderr)
	}
}

// A check that ignores its context is cut short at --timeout: what it
// recorded by then is reported, then the deadline, as UNAVAILABLE's 69.
func TestCheckDeadline(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	be := &checkBackend{t: t, check: func(_ context.Context, _ *Batch, r *check.Report) error {
		r.OK("address", "set")
		<-release
		r.OK("late", "recorded after the deadline")
		return nil
	}}
	o := runCheckCmd(t, be, "--timeout", "100ms")
	if o.status != ExitUnavailable || len(o.out.Checks) != 2 || o.out.Checks[1].Name != "deadline" || o.out.Checks[1].Code != protocol.Timeout ||
		!strings.Contains(o.out.Checks[1].Detail, "100ms") {
		t.Fatalf("status %d output %+v", o.status, o.out)
	}
	// A check that returns the context's error when the deadline passes
	// is reported the same way.
	be.check = func(ctx context.Context, _ *Batch, r *check.Report) error {
		<-ctx.Done()
		return fmt.Errorf("waiting: %w", ctx.Err())
	}
	o = runCheckCmd(t, be, "--timeout", "50ms")
	if o.status != ExitUnavailable || len(o.out.Checks) != 1 || o.out.Checks[0].Name != "deadline" {
		t.Fatalf("status %d output %+v", o.status, o.out)
	}
}

// check comes after the provider's args, as in openclaw.json; it takes
// no arguments of its own.
func TestCheckCommandLine(t *testing.T) {
	be := &checkBackend{t: t, check: func(context.Context, *Batch, *check.Report) error { return nil }}
	for _, args := range [][]string{{"check", "--name", "x"}, {"check", "now"}} {
		var stdout, stderr bytes.Buffer
		status := Serve(Program{Name: "test-resolver", Backend: be}, args, unreadable{t}, &stdout, &stderr)
		if status != ExitUsage || stdout.Len() != 0 || !strings.Contains(stderr.String(), "unknown command") {
			t.Errorf("%q: status %d stdout %q stderr %q", args, status, stdout.String(), stderr.String())
		}
	}
	// A check that records nothing still answers.
	o := runCheckCmd(t, be)
	if o.status != ExitOK || len(o.out.Checks) != 1 || o.out.Checks[0].Status != check.StatusWarn {
		t.Fatalf("status %d output %+v", o.status, o.out)
	}
	var help bytes.Buffer
	Serve(Program{Name: "test-resolver", Backend: be}, []string{"help"}, unreadable{t}, &help, &help)
	if !strings.Contains(help.String(), "[flags] check") {
		t.Errorf("--help does not mention check:\n%s", help.String())
	}
}
