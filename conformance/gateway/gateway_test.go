package gateway_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/execref/execref/conformance/gateway"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// These tests drive the SDK's example and reference resolvers through the
// real OpenClaw gateway code (make e2e-openclaw). Without an installed
// gateway they skip, unless EXECREF_REQUIRE_GATEWAY=1.

const (
	jsonfilePkg  = "../../sdk/examples/openclaw-jsonfile-resolver"
	referencePkg = "../../sdk/testdata/reference"
)

// install puts a copy of the resolver built from pkg where the gateway
// accepts it: a regular, user-owned 0755 file in a directory of its own,
// with its data file beside it (the gateway runs it there). It returns the
// command's absolute path.
func install(t *testing.T, pkg, dataName string, data any) string {
	t.Helper()
	raw, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	return sdktest.Install(t, defaultBuild(t, pkg), map[string][]byte{dataName: raw})
}

// built holds the default builds of this test process, in a directory
// TestMain removes.
var built struct {
	sync.Mutex
	dir  string
	bins map[string]string
}

// defaultBuild is pkg built as go install builds it, without -tags
// execref_plugin (sdktest.Cached's builds have it): the binary a user
// gives the gateway, which these tests run only over exec. Built once
// per test process.
func defaultBuild(t *testing.T, pkg string) string {
	t.Helper()
	built.Lock()
	defer built.Unlock()
	if bin, ok := built.bins[pkg]; ok {
		return bin
	}
	if built.dir == "" {
		dir, err := os.MkdirTemp("", "execref-gateway-test-")
		if err != nil {
			t.Fatal(err)
		}
		built.dir, built.bins = dir, map[string]string{}
	}
	dir := filepath.Join(built.dir, strconv.Itoa(len(built.bins)))
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin, err := sdktest.BuildWithoutPlugin(dir, pkg)
	if err != nil {
		t.Fatal(err)
	}
	built.bins[pkg] = bin
	return bin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		_ = os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// jsonfile installs the SDK example with these secrets.
func jsonfile(t *testing.T, secrets map[string]string) host.Provider {
	cmd := install(t, jsonfilePkg, "secrets.json", secrets)
	return host.Provider{Source: "exec", Command: cmd, Args: []string{"--file", "secrets.json"}}
}

// reference installs the SDK's reference resolver with this fixture.
func reference(t *testing.T, fixture map[string]any) host.Provider {
	cmd := install(t, referencePkg, "fixture.json", fixture)
	return host.Provider{Source: "exec", Command: cmd}
}

// resolve runs refs ("provider:id") through the gateway, bounded in time,
// and returns the outcomes by "provider:id".
func resolve(t *testing.T, g *gateway.Gateway, providers map[string]host.Provider, env map[string]string, refs ...string) map[string]gateway.Outcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rs := make([]gateway.Ref, len(refs))
	for i, r := range refs {
		provider, id, _ := strings.Cut(r, ":")
		rs[i] = gateway.Ref{Provider: provider, ID: id}
	}
	out, err := g.Resolve(ctx, providers, rs, env)
	if err != nil {
		t.Fatal(err)
	}
	byRef := make(map[string]gateway.Outcome, len(out))
	for _, o := range out {
		byRef[o.Ref.Provider+":"+o.Ref.ID] = o
	}
	return byRef
}

// wantValue fails unless ref resolved to exactly want.
func wantValue(t *testing.T, got map[string]gateway.Outcome, ref, want string) {
	t.Helper()
	o, ok := got[ref]
	switch {
	case !ok:
		t.Errorf("%s: no outcome", ref)
	case o.Code != "":
		t.Errorf("%s: %s: %s, want a value", ref, o.Code, o.Message)
	case o.Value != want:
		t.Errorf("%s: value not byte-exact (%T of %d bytes, want %d)", ref, o.Value, len(fmt.Sprint(o.Value)), len(want))
	}
}

// wantError fails unless ref failed with code and exactly message.
func wantError(t *testing.T, got map[string]gateway.Outcome, ref, code, message string) {
	t.Helper()
	o, ok := got[ref]
	switch {
	case !ok:
		t.Errorf("%s: no outcome", ref)
	case o.Code == "":
		t.Errorf("%s: resolved, want %s", ref, code)
	case o.Code != code || o.Message != message:
		t.Errorf("%s: got %s %q\nwant %s %q", ref, o.Code, o.Message, code, message)
	}
}

// wantCode fails unless ref failed with code and a message that starts
// with prefix.
func wantCode(t *testing.T, got map[string]gateway.Outcome, ref, code, prefix string) {
	t.Helper()
	if o := got[ref]; o.Code != code || !strings.HasPrefix(o.Message, prefix) {
		t.Errorf("%s: got %q %q\nwant %s %q…", ref, o.Code, o.Message, code, prefix)
	}
}

// The SDK example resolves values byte-exact through the gateway, and a
// missing id is the gateway's SECRET_REF_NOT_FOUND.
func TestGatewayJSONFileResolver(t *testing.T) {
	g := gateway.Require(t)
	key := sdktest.PEM(1600)
	if len(key) < 2000 {
		t.Fatalf("pem is %d bytes", len(key))
	}
	tricky := "ünïcødé 🔑 \"quotes\" 'single' \\back\\slash\n\tline two\r\nline three \u2028 <&> ${HOME} `x`"
	secrets := map[string]string{"openai/apiKey": "sk-abc123", "tricky": tricky, "tls#key": key}
	providers := map[string]host.Provider{"files": jsonfile(t, secrets)}
	got := resolve(t, g, providers, map[string]string{},
		"files:openai/apiKey", "files:tricky", "files:tls#key", "files:missing/key", "files: openai/apiKey ")
	wantValue(t, got, "files:openai/apiKey", "sk-abc123")
	wantValue(t, got, "files:tricky", tricky)
	wantValue(t, got, "files:tls#key", key)
	wantValue(t, got, "files: openai/apiKey ", "sk-abc123") // the gateway trims ids
	wantError(t, got, "files:missing/key", "SECRET_REF_NOT_FOUND", `Exec provider "files" failed for id "missing/key" (NOT_FOUND).`)
}

// Per-id codes other than NOT_FOUND and AMBIGUOUS_DUPLICATE_KEY become
// SECRET_REF_PROVIDER_ERROR with the code hidden; the resolver's message
// is never shown, and the other ids of the batch still resolve. A value
// that is one of the gateway's redaction placeholders (compared trimmed)
// is refused, and so is an id outside the gateway's grammar, before any
// resolver runs (a plain Error, no code).
func TestGatewayReferencePerIDErrors(t *testing.T) {
	g := gateway.Require(t)
	p := reference(t, map[string]any{
		"values": map[string]string{"a": "value-a", "denied/x": "value-denied", "dup": "value-dup",
			"sentinel": "__OPENCLAW_REDACTED__", "stars": " *** ", "bracketed": "[REDACTED]\n", "stars-inside": "a***b"},
		"errors": map[string]string{"denied/x": "PERMISSION_DENIED", "dup": "AMBIGUOUS_DUPLICATE_KEY", "bad": "INVALID_VALUE"},
	})
	got := resolve(t, g, map[string]host.Provider{"ref": p}, map[string]string{},
		"ref:a", "ref:denied/x", "ref:dup", "ref:bad", "ref:missing",
		"ref:sentinel", "ref:stars", "ref:bracketed", "ref:stars-inside", "ref:has space", "ref:x/../y")
	// The SDK refuses the gateway's own sentinel itself (INVALID_VALUE,
	// shown as SECRET_REF_PROVIDER_ERROR); the gateway refuses the other
	// placeholders as SECRET_REF_REDACTED_VALUE. Either way: no value.
	for _, id := range []string{"sentinel", "stars", "bracketed"} {
		o := got["ref:"+id]
		redacted := o.Code == "SECRET_REF_REDACTED_VALUE" &&
			o.Message == fmt.Sprintf("Secret reference \"exec:ref:%s\" resolves to a redaction placeholder. Run openclaw doctor --fix to repair a store-backed Gateway token; supply a real credential for other secrets.", id)
		refused := o.Code == "SECRET_REF_PROVIDER_ERROR" && o.Message == fmt.Sprintf("Exec provider \"ref\" failed for id \"%s\".", id)
		t.Logf("ref:%s (a placeholder): %s", id, o.Code)
		if !redacted && !refused {
			t.Errorf("ref:%s: placeholder value: got %q %q, want it refused", id, o.Code, o.Message)
		}
	}
	wantValue(t, got, "ref:stars-inside", "a***b")
	wantCode(t, got, "ref:has space", "Error", "Exec secret reference id must match")
	wantCode(t, got, "ref:x/../y", "Error", "Exec secret reference id must match")
	wantValue(t, got, "ref:a", "value-a")
	wantError(t, got, "ref:denied/x", "SECRET_REF_PROVIDER_ERROR", `Exec provider "ref" failed for id "denied/x".`)
	wantError(t, got, "ref:dup", "SECRET_REF_PROVIDER_ERROR", `Exec provider "ref" failed for id "dup" (AMBIGUOUS_DUPLICATE_KEY).`)
	wantError(t, got, "ref:bad", "SECRET_REF_PROVIDER_ERROR", `Exec provider "ref" failed for id "bad".`)
	wantError(t, got, "ref:missing", "SECRET_REF_NOT_FOUND", `Exec provider "ref" failed for id "missing" (NOT_FOUND).`)
	for ref, o := range got {
		if strings.Contains(o.Message, "value-") {
			t.Errorf("%s: message shows a value: %q", ref, o.Message)
		}
	}
}

// The command-path policy refuses a symlinked command (2026.9.x has no
// opt-out), a group-writable one and one outside trustedDirs, as a
// provider failure naming the path; the regular copy beside them runs.
func TestGatewayCommandPathPolicy(t *testing.T) {
	g := gateway.Require(t)
	p := reference(t, map[string]any{"values": map[string]string{"a": "v"}})
	dir := filepath.Dir(p.Command)

	link := filepath.Join(t.TempDir(), "linked-resolver")
	if err := os.Symlink(p.Command, link); err != nil {
		t.Fatal(err)
	}
	open := reference(t, map[string]any{"values": map[string]string{"a": "v"}})
	if err := os.Chmod(open.Command, 0o775); err != nil {
		t.Fatal(err)
	}
	outside := p
	outside.TrustedDirs = []string{filepath.Join(dir, "elsewhere")}
	inside := p
	inside.TrustedDirs = []string{dir}

	got := resolve(t, g, map[string]host.Provider{
		"regular": inside,
		"linked":  {Source: "exec", Command: link},
		"open":    open,
		"outside": outside,
	}, map[string]string{}, "regular:a", "linked:a", "open:a", "outside:a")
	wantValue(t, got, "regular:a", "v")
	wantError(t, got, "linked:a", "SECRET_PROVIDER_UNAVAILABLE", "secrets.providers.linked.command must not be a symlink: "+link)
	wantError(t, got, "open:a", "SECRET_PROVIDER_UNAVAILABLE", "secrets.providers.open.command permissions are too open: "+open.Command)
	wantError(t, got, "outside:a", "SECRET_PROVIDER_UNAVAILABLE", "secrets.providers.outside.command is outside trustedDirs: "+p.Command)
}

// passEnv copies a variable from the gateway's environment; without it the
// resolver sees nothing of that environment (the reference exits
// EX_CONFIG when its fixture's variable is unset). env literals and the
// gateway's OPENCLAW_CLI marker are set too.
func TestGatewayPassEnv(t *testing.T) {
	g := gateway.Require(t)
	fixture := map[string]any{"values": map[string]string{"a": "v"}, "env": []string{"TOKEN", "LITERAL", "OPENCLAW_CLI"}}
	with := reference(t, fixture)
	with.PassEnv = []string{"TOKEN", "UNSET_IN_GATEWAY"}
	with.Env = map[string]string{"LITERAL": "x"}
	without := reference(t, fixture)
	without.Env = map[string]string{"LITERAL": "x"}

	got := resolve(t, g, map[string]host.Provider{"with": with, "without": without},
		map[string]string{"TOKEN": "gateway-token"}, "with:a", "without:a")
	wantValue(t, got, "with:a", "v")
	wantError(t, got, "without:a", "SECRET_PROVIDER_UNAVAILABLE", fmt.Sprintf(`Exec provider "without" exited with code %d.`, sdk.ExitConfig))
}

// Two providers in one call: one batch per provider, run concurrently,
// each with several ids, every ref resolved.
func TestGatewayTwoProviders(t *testing.T) {
	g := gateway.Require(t)
	providers := map[string]host.Provider{
		"files": jsonfile(t, map[string]string{"github/token": "ghp_one", "openai/apiKey": "sk-two"}),
		"ref":   reference(t, map[string]any{"values": map[string]string{"db:password": "pw-three", "tls#cert": "cert-four"}}),
	}
	got := resolve(t, g, providers, map[string]string{},
		"files:github/token", "ref:db:password", "files:openai/apiKey", "ref:tls#cert")
	wantValue(t, got, "files:github/token", "ghp_one")
	wantValue(t, got, "files:openai/apiKey", "sk-two")
	wantValue(t, got, "ref:db:password", "pw-three")
	wantValue(t, got, "ref:tls#cert", "cert-four")
}

// A run that cannot work is an error naming the cause, with node's stderr;
// one past its context's deadline is that context's error.
func TestGatewayResolveErrors(t *testing.T) {
	g := gateway.Require(t)
	refs := []gateway.Ref{{Provider: "p", ID: "a"}}
	empty := &gateway.Gateway{Node: g.Node, Prefix: t.TempDir()}
	_, err := empty.Resolve(context.Background(), nil, refs, nil)
	if err == nil || !strings.Contains(err.Error(), "openclaw/plugin-sdk/secret-ref-runtime") || !strings.Contains(err.Error(), "stderr:") {
		t.Errorf("no openclaw under the prefix: got %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = g.Resolve(ctx, nil, refs, nil)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 10*time.Second {
		t.Errorf("deadline 50ms: got %v after %v", err, time.Since(start))
	}
}

// fakeTB records what Require does instead of ending the test.
type fakeTB struct {
	testing.TB
	skipped, failed bool
}

type stopped struct{}

func (f *fakeTB) Helper()               {}
func (f *fakeTB) Skip(...any)           { f.skipped = true; panic(stopped{}) }
func (f *fakeTB) Skipf(string, ...any)  { f.skipped = true; panic(stopped{}) }
func (f *fakeTB) Fatal(...any)          { f.failed = true; panic(stopped{}) }
func (f *fakeTB) Fatalf(string, ...any) { f.failed = true; panic(stopped{}) }

func callRequire(tb *fakeTB) (g *gateway.Gateway) {
	defer func() {
		if r := recover(); r != nil && r != (stopped{}) {
			panic(r)
		}
	}()
	return gateway.Require(tb)
}

// FromEnv needs both variables; Require skips without them, but fails when
// EXECREF_REQUIRE_GATEWAY=1, so that make e2e-openclaw cannot pass by
// skipping. Runs with or without an installed gateway.
func TestGatewayRequire(t *testing.T) {
	t.Setenv(gateway.EnvNode, "")
	t.Setenv(gateway.EnvPrefix, "/x")
	if _, ok := gateway.FromEnv(); ok {
		t.Error("FromEnv ok with EXECREF_NODE unset")
	}
	for _, required := range []string{"", "1"} {
		t.Setenv(gateway.EnvRequire, required)
		tb := &fakeTB{TB: t}
		if g := callRequire(tb); g != nil || tb.skipped == (required == "1") || tb.failed != (required == "1") {
			t.Errorf("%s=%q, nothing installed: got %v, skipped %v, failed %v", gateway.EnvRequire, required, g, tb.skipped, tb.failed)
		}
	}

	// Named but not installed there: the same.
	t.Setenv(gateway.EnvNode, filepath.Join(t.TempDir(), "node"))
	if g, ok := gateway.FromEnv(); !ok || g.Prefix != "/x" {
		t.Errorf("FromEnv = %+v, %v", g, ok)
	}
	t.Setenv(gateway.EnvRequire, "1")
	if tb := (&fakeTB{TB: t}); callRequire(tb) != nil || !tb.failed {
		t.Errorf("required, broken install: not failed")
	}
}
