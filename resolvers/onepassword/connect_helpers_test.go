package onepassword

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"net"
	"slices"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/onepassword/internal/fakeconnect"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/check"
	"github.com/execref/execref/sdk/host"
)

// Unit tests of connect mode: the real connect-sdk-go against fakeconnect,
// the mode run inside sdk.Serve, the SDK's whole resolver path (deadline,
// answers, exit status, redacted stderr) minus the process.

// connectBackend parses ids as the Resolver does and hands them to m, or
// runs m's self-check.
type connectBackend struct{ m mode }

func (c connectBackend) Resolve(ctx context.Context, b *sdk.Batch) error {
	refs := map[string]reference{}
	for _, id := range b.IDs {
		ref, err := parseID(id)
		if err != nil {
			b.Fail(id, err)
			continue
		}
		refs[id] = ref
	}
	return c.m.resolve(ctx, b, refs)
}

func (c connectBackend) Check(ctx context.Context, b *sdk.Batch, r *check.Report) error {
	c.m.(selfChecker).check(ctx, b, r)
	return nil
}

// connectOutcome is one in-process run.
type connectOutcome struct {
	status int
	res    map[string]host.Result // when status is 0
	stdout []byte
	stderr string
}

// serveConnect resolves ids with m as the binary would, args being the
// SDK's flags (--timeout, --concurrency, --verbose), and checks that
// stderr holds none of secrets and not the token.
func serveConnect(t *testing.T, m mode, secrets []string, ids []string, args ...string) connectOutcome {
	t.Helper()
	req := protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: "onepassword", IDs: ids})
	var stdout, stderr bytes.Buffer
	status := sdk.Serve(sdk.Program{Name: "openclaw-1password-resolver", Backend: connectBackend{m}},
		append([]string{"--verbose"}, args...), bytes.NewReader(req), &stdout, &stderr)
	o := connectOutcome{status: status, stdout: stdout.Bytes(), stderr: stderr.String()}
	for _, s := range append(slices.Clone(secrets), fakeconnect.Token) {
		if s != "" && strings.Contains(o.stderr, s) {
			t.Errorf("stderr holds a secret (%d bytes):\n%s", len(s), o.stderr)
		}
	}
	if status == 0 {
		var err error
		if o.res, err = host.ParseResponse("onepassword", stdout.Bytes(), ids, true); err != nil {
			t.Fatalf("response: %v\nstderr: %s", err, o.stderr)
		}
	}
	return o
}

// mustConnect makes the mode against url with the fake's token.
func mustConnect(t *testing.T, url string, concurrency int) mode {
	t.Helper()
	m, err := newConnectMode(url, fakeconnect.Token, concurrency)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// opID is the id to write for a 1Password reference (opb64: when the
// gateway's grammar refuses it).
func cxID(t *testing.T, ref string) string {
	t.Helper()
	id, err := encodeID(ref)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// wantValues requires each id of want to have resolved to its exact value.
func cxWantValues(t *testing.T, o connectOutcome, want map[string]string) {
	t.Helper()
	if o.status != 0 {
		t.Fatalf("exit %d, stderr:\n%s", o.status, o.stderr)
	}
	for _, id := range slices.Sorted(maps.Keys(want)) {
		r := o.res[id]
		if v, _ := r.Value.(string); r.Err != nil || v != want[id] {
			t.Errorf("%s: err %v, value of %d bytes, want %d bytes", id, r.Err, len(v), len(want[id]))
		}
	}
}

// wantCodes requires each id of want to have failed with its code, the
// message holding every fragment given for it.
func cxWantCodes(t *testing.T, o connectOutcome, want map[string]protocol.Code, fragments map[string][]string) {
	t.Helper()
	if o.status != 0 {
		t.Fatalf("exit %d, stderr:\n%s", o.status, o.stderr)
	}
	for _, id := range slices.Sorted(maps.Keys(want)) {
		var pe *protocol.Error
		if r := o.res[id]; !errors.As(r.Err, &pe) || pe.Code != want[id] {
			t.Errorf("%s: got %v (value set: %v), want %s", id, r.Err, r.Value != nil, want[id])
			continue
		}
		for _, f := range fragments[id] {
			if !strings.Contains(pe.Message, f) {
				t.Errorf("%s: message %q does not mention %q", id, pe.Message, f)
			}
		}
	}
}

// wantExit requires a whole-provider failure: status, no stdout, and a
// last stderr line holding every fragment.
func cxWantExit(t *testing.T, o connectOutcome, status int, fragments ...string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(o.stderr), "\n")
	last := lines[len(lines)-1]
	if o.status != status || len(o.stdout) != 0 {
		t.Errorf("exit %d with %d bytes on stdout, want %d and none; stderr:\n%s", o.status, len(o.stdout), status, o.stderr)
	}
	for _, f := range fragments {
		if !strings.Contains(last, f) {
			t.Errorf("last stderr line %q does not mention %q", last, f)
		}
	}
}

// closedURL is the URL of a loopback port nothing listens on.
func cxClosedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}
