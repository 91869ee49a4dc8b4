package sdk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/redact"
)

// backendFunc adapts a function to Backend and counts calls.
type backendFunc struct {
	calls atomic.Int32
	fn    func(ctx context.Context, b *Batch) error
}

func (f *backendFunc) Resolve(ctx context.Context, b *Batch) error {
	f.calls.Add(1)
	return f.fn(ctx, b)
}

type outcome struct {
	status int
	stdout string
	stderr string
	resp   protocol.Response
}

func serve(t *testing.T, be Backend, stdin string, args ...string) outcome {
	t.Helper()
	var out, errOut bytes.Buffer
	status := Serve(Program{Name: "test-resolver", Summary: "a test", Backend: be}, args, strings.NewReader(stdin), &out, &errOut)
	o := outcome{status: status, stdout: out.String(), stderr: errOut.String()}
	if status == ExitOK && strings.HasPrefix(o.stdout, "{") {
		if strings.Count(o.stdout, "\n") != 1 || !strings.HasSuffix(o.stdout, "\n") {
			t.Fatalf("stdout is not exactly one line: %q", o.stdout)
		}
		if err := json.Unmarshal(out.Bytes(), &o.resp); err != nil {
			t.Fatalf("stdout is not JSON: %v: %q", err, o.stdout)
		}
	}
	return o
}

func request(ids ...string) string {
	return string(protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: "test", IDs: ids}))
}

func TestServeValuesErrorsAndInvalidIDs(t *testing.T) {
	var got []string
	be := &backendFunc{fn: func(ctx context.Context, b *Batch) error {
		got = slices.Clone(b.IDs)
		b.Set("a", "value-a")
		b.Fail("b", fmt.Errorf("%w: nothing at b", protocol.NotFound))
		b.Set("not-asked", "x")
		return nil
	}}
	o := serve(t, be, request("a", "b", "a", "bad id", "../x", "c"))
	if o.status != ExitOK || be.calls.Load() != 1 {
		t.Fatalf("status %d, backend calls %d, stderr %q", o.status, be.calls.Load(), o.stderr)
	}
	if want := []string{"a", "b", "c"}; !slices.Equal(got, want) {
		t.Fatalf("backend got ids %q, want %q (valid, de-duplicated, in order)", got, want)
	}
	if o.resp.ProtocolVersion != 1 || o.resp.Values["a"] != "value-a" || len(o.resp.Values) != 1 {
		t.Fatalf("values: %+v", o.resp.Values)
	}
	wantCodes := map[string]protocol.Code{"b": protocol.NotFound, "bad id": protocol.InvalidID, "../x": protocol.InvalidID, "c": protocol.Internal}
	for id, code := range wantCodes {
		if o.resp.Errors[id].Code != code {
			t.Errorf("errors[%q] = %+v, want %s", id, o.resp.Errors[id], code)
		}
	}
	if len(o.resp.Errors) != len(wantCodes) {
		t.Errorf("errors answer ids not asked: %+v", o.resp.Errors)
	}
	// The code has a member of its own: the message does not repeat it.
	if msg := o.resp.Errors["b"].Message; msg != "nothing at b" {
		t.Errorf("message %q", msg)
	}
	if o.stderr != "" {
		t.Errorf("stderr without --verbose: %q", o.stderr)
	}
}

func TestServeEmptyBatchSkipsBackend(t *testing.T) {
	be := &backendFunc{fn: func(context.Context, *Batch) error { t.Error("backend called"); return nil }}
	for _, in := range []string{request(), request("bad id", "?")} {
		o := serve(t, be, in)
		if o.status != ExitOK || len(o.resp.Values) != 0 {
			t.Fatalf("%s: status %d stdout %q", in, o.status, o.stdout)
		}
	}
	if o := serve(t, be, request()); o.stdout != `{"protocolVersion":1,"values":{}}`+"\n" {
		t.Fatalf("empty batch answered %q", o.stdout)
	}
}

func TestServeBadRequests(t *testing.T) {
	be := &backendFunc{fn: func(context.Context, *Batch) error { t.Error("backend called"); return nil }}
	for _, in := range []string{"", "{", "null", `{"protocolVersion":2,"provider":"p","ids":["a"]}`,
		`{"protocolVersion":1,"provider":"p","ids":"a"}`, `{"protocolVersion":1,"provider":"p","ids":["a"]}{}`,
		strings.Repeat(" ", protocol.MaxRequestBytes+1)} {
		o := serve(t, be, in)
		if o.status != ExitBadRequest || o.stdout != "" {
			t.Errorf("%.40q: status %d stdout %q", in, o.status, o.stdout)
		}
		if strings.Count(o.stderr, "\n") != 1 || !strings.HasPrefix(o.stderr, "test-resolver: ") {
			t.Errorf("%.40q: stderr is not one prefixed line: %q", in, o.stderr)
		}
	}
}

func TestServeDeadlineAnswersWhatItHas(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	be := &backendFunc{fn: func(ctx context.Context, b *Batch) error {
		b.Set("fast", "v")
		<-release // ignores ctx, like the worst backend
		b.Set("slow", "late")
		return nil
	}}
	start := time.Now()
	o := serve(t, be, request("fast", "slow"), "--timeout", "150ms")
	if o.status != ExitOK || o.resp.Values["fast"] != "v" || o.resp.Errors["slow"].Code != protocol.Timeout {
		t.Fatalf("status %d resp %+v stderr %q", o.status, o.resp, o.stderr)
	}
	if !strings.Contains(o.resp.Errors["slow"].Message, "150ms") {
		t.Errorf("TIMEOUT message does not name the deadline: %q", o.resp.Errors["slow"].Message)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Fatalf("answered after %s with a 150ms deadline", elapsed)
	}
}

// A backend that honours ctx and fails ids with its error gets TIMEOUT too.
func TestServeContextErrorsAreTimeouts(t *testing.T) {
	be := &backendFunc{fn: func(ctx context.Context, b *Batch) error {
		<-ctx.Done()
		b.Fail("a", fmt.Errorf("reading a: %w", ctx.Err()))
		return nil
	}}
	o := serve(t, be, request("a"), "--timeout", "50ms")
	if o.status != ExitOK || o.resp.Errors["a"].Code != protocol.Timeout {
		t.Fatalf("status %d resp %+v", o.status, o.resp)
	}
}

func TestServeStdinNeverClosed(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	var out, errOut bytes.Buffer
	be := &backendFunc{fn: func(context.Context, *Batch) error { return nil }}
	status := Serve(Program{Name: "r", Backend: be}, []string{"--timeout", "100ms"}, pr, &out, &errOut)
	if status != ExitBadRequest || out.Len() != 0 || !strings.Contains(errOut.String(), "deadline") {
		t.Fatalf("status %d stdout %q stderr %q", status, out.String(), errOut.String())
	}
}

func TestServeWholeProviderFailures(t *testing.T) {
	cases := []struct {
		err  error
		want int
	}{
		{fmt.Errorf("%w: VAULT_ADDR is not set", ErrConfig), ExitConfig},
		{fmt.Errorf("%w: token expired", protocol.Unauthenticated), ExitNoPerm},
		{fmt.Errorf("%w: login refused", protocol.PermissionDenied), ExitNoPerm},
		{fmt.Errorf("%w: connection refused", protocol.Unavailable), ExitUnavailable},
		{fmt.Errorf("%w: throttled", protocol.RateLimited), ExitUnavailable},
		{errors.New("something odd"), ExitFailure},
	}
	for _, c := range cases {
		be := &backendFunc{fn: func(_ context.Context, b *Batch) error {
			b.Set("a", "must-not-be-printed")
			return c.err
		}}
		o := serve(t, be, request("a"))
		if o.status != c.want || o.stdout != "" {
			t.Errorf("%v: status %d stdout %q, want %d and no stdout", c.err, o.status, o.stdout, c.want)
		}
		if o.stderr != "test-resolver: "+c.err.Error()+"\n" {
			t.Errorf("%v: stderr %q", c.err, o.stderr)
		}
	}
}

func TestServeValueRules(t *testing.T) {
	be := &backendFunc{fn: func(_ context.Context, b *Batch) error {
		b.Set("empty", "")
		b.Set("blank", " \n\t")
		b.Set("binary", "\xff\xfe")
		b.Set("sentinel", " __OPENCLAW_REDACTED__\n")
		b.Set("stars", "***")
		b.Set("tricky", "line1\nline2 \"quoted\" <&> € \u2028")
		return nil
	}}
	o := serve(t, be, request("empty", "blank", "binary", "sentinel", "stars", "tricky"))
	for _, id := range []string{"empty", "blank", "binary", "sentinel", "stars"} {
		if o.resp.Errors[id].Code != protocol.InvalidValue {
			t.Errorf("%s: %+v", id, o.resp.Errors[id])
		}
	}
	if o.resp.Values["tricky"] != "line1\nline2 \"quoted\" <&> € \u2028" {
		t.Errorf("value not byte-exact: %q", o.resp.Values["tricky"])
	}
}

const secret = "hunter2-\"very\"\nsecret-€"

// leaks reports whether text contains the secret in any form it could be
// printed in.
func leaks(text string) bool {
	q, _ := json.Marshal(secret)
	for _, form := range []string{secret, fmt.Sprintf("%q", secret)[1 : len(fmt.Sprintf("%q", secret))-1], string(q[1 : len(q)-1]), "hunter2"} {
		if strings.Contains(text, form) {
			return true
		}
	}
	return false
}

func TestRedactionEverywhere(t *testing.T) {
	be := &backendFunc{fn: func(_ context.Context, b *Batch) error {
		b.Logf("about to set a = %s", secret) // before the SDK knows it
		b.Sensitive("hunter2")
		b.Set("a", secret)
		b.Logf("fetched a = %s (quoted %q)", secret, secret)
		b.Warnf("a is %s", secret)
		b.Fail("b", fmt.Errorf("%w: b differs from %q and from hunter2", protocol.InvalidValue, secret))
		return nil
	}}
	o := serve(t, be, request("a", "b"), "--verbose")
	if o.status != ExitOK || o.resp.Values["a"] != secret {
		t.Fatalf("status %d resp %+v", o.status, o.resp)
	}
	if !strings.Contains(o.stderr, "fetched a = "+redact.Placeholder) || !strings.Contains(o.stderr, "about to set a = "+redact.Placeholder) ||
		!strings.Contains(o.stderr, "warning: a is "+redact.Placeholder) {
		t.Fatalf("verbose log missing or not redacted: %q", o.stderr)
	}
	if leaks(o.stderr) || leaks(o.resp.Errors["b"].Message) {
		t.Fatalf("secret leaked: stderr %q, message %q", o.stderr, o.resp.Errors["b"].Message)
	}
}

func TestPanicsAreRedactedWholeProviderFailures(t *testing.T) {
	direct := &backendFunc{fn: func(_ context.Context, b *Batch) error {
		b.Set("a", secret)
		panic("boom with " + secret)
	}}
	inWorker := &backendFunc{fn: func(ctx context.Context, b *Batch) error {
		ForEach(ctx, b, b.IDs, func(_ context.Context, id string) {
			b.Set(id, secret)
			panic(fmt.Errorf("worker %s saw %q", id, secret))
		})
		return nil
	}}
	unknown := &backendFunc{fn: func(_ context.Context, b *Batch) error {
		panic("fetched " + secret + " but never set it")
	}}
	runtimeErr := &backendFunc{fn: func(_ context.Context, b *Batch) error {
		var none []string
		return errors.New(none[len(b.IDs)] + secret) // index out of range
	}}
	o := serve(t, runtimeErr, request("a"))
	if o.status != ExitInternal || o.stderr != "test-resolver: internal error: panic: runtime error: index out of range [1] with length 0\n" {
		t.Errorf("runtime error: status %d stderr %q", o.status, o.stderr)
	}
	for name, be := range map[string]Backend{"direct": direct, "worker": inWorker, "unknown value": unknown} {
		o := serve(t, be, request("a"), "--verbose")
		if o.status != ExitInternal || o.stdout != "" {
			t.Errorf("%s: status %d stdout %q", name, o.status, o.stdout)
		}
		if !strings.Contains(o.stderr, "panic: ") || !strings.Contains(o.stderr, "goroutine") {
			t.Errorf("%s: stderr lacks the panic and its stack: %q", name, o.stderr)
		}
		if leaks(o.stderr) {
			t.Errorf("%s: secret leaked on panic: %q", name, o.stderr)
		}
	}
}

func TestForEachHonoursConcurrency(t *testing.T) {
	var inFlight, peak atomic.Int32
	var mu sync.Mutex
	seen := map[int]bool{}
	b := &Batch{Concurrency: 3, red: &redact.Redactor{}}
	items := make([]int, 40)
	for i := range items {
		items[i] = i
	}
	ForEach(context.Background(), b, items, func(_ context.Context, i int) {
		n := inFlight.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(2 * time.Millisecond)
		inFlight.Add(-1)
		mu.Lock()
		seen[i] = true
		mu.Unlock()
	})
	if peak.Load() > 3 || peak.Load() < 2 || len(seen) != 40 {
		t.Fatalf("peak %d (want 2..3), items done %d", peak.Load(), len(seen))
	}
}

func TestCommandLine(t *testing.T) {
	be := &backendFunc{fn: func(context.Context, *Batch) error { return nil }}
	setVersionForTest(t, "v9.8.7")
	for _, args := range [][]string{{"version"}, {"--version"}} {
		o := serve(t, be, "", args...)
		if o.status != ExitOK || !strings.HasPrefix(o.stdout, "test-resolver v9.8.7 (protocol 1, go") {
			t.Errorf("%q: status %d stdout %q", args, o.status, o.stdout)
		}
	}
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		o := serve(t, be, "", args...)
		if o.status != ExitOK || !strings.Contains(o.stdout, "--timeout duration") || !strings.Contains(o.stdout, "Exit status:") {
			t.Errorf("%q: status %d stdout %q", args, o.status, o.stdout)
		}
	}
	// A bad command line costs one line on stderr, as docs/protocol.md
	// promises: the flag package's own report is not printed besides ours.
	for _, args := range [][]string{{"--nope"}, {"-nope=1"}, {"frobnicate"}, {"--timeout", "0s"}, {"--timeout", "soon"}, {"--timeout"}, {"--concurrency", "0"}} {
		o := serve(t, be, request("a"), args...)
		if o.status != ExitUsage || o.stdout != "" || strings.Count(o.stderr, "\n") != 1 || !strings.HasPrefix(o.stderr, "test-resolver: ") {
			t.Errorf("%q: status %d stdout %q stderr %q, want one line", args, o.status, o.stdout, o.stderr)
		}
	}
	if be.calls.Load() != 0 {
		t.Fatal("backend called for a non-serve command")
	}
}

func setVersionForTest(t *testing.T, v string) {
	old := Version
	Version = v
	t.Cleanup(func() { Version = old })
}

func TestWarningsPrintWithoutVerbose(t *testing.T) {
	be := &backendFunc{fn: func(_ context.Context, b *Batch) error {
		b.Warnf("TLS verification is off")
		b.Logf("only with --verbose")
		b.Set("a", "value")
		return nil
	}}
	o := serve(t, be, request("a"))
	if o.stderr != "test-resolver: warning: TLS verification is off\n" {
		t.Fatalf("stderr %q", o.stderr)
	}
}
