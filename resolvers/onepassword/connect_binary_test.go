package onepassword_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/execref/execref/conformance"
	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/onepassword/internal/fakeconnect"
	"github.com/execref/execref/sdk/check"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// These tests build openclaw-1password-resolver, install it as an
// operator would, and run it with --mode connect through the SDK's host
// runner exactly as the gateway runs it (an empty gateway environment:
// OP_CONNECT_HOST and OP_CONNECT_TOKEN come from the provider's env; its
// own directory as cwd; the gateway's limits and parsing), against
// fakeconnect on 127.0.0.1, which the real connect-sdk-go inside the
// binary talks to.

// cxGateway is the gateway's runner with an empty environment.
var cxGateway = &host.Runner{LookupEnv: func(string) (string, bool) { return "", false }}

const cxProvider = "onepassword"

// Values of the world; each names its own vault, item and field, so that
// a value that reaches the wrong id says whose it is.
var (
	cxUnicode = "pässwörd-密码-🔑 \"q\" \\ \t tab\nline two\r\n"
	cxPEM     = sdktest.PEM(4096)
	cxBig     = strings.Repeat("0123456789abcdef", 3*1024) // 48 KiB
)

func cxOwnValue(path string) string { return "value of " + path }

// cxWorld is a fake Connect server and an installed resolver.
//
//	Prod      db, db-extra, d   password          look-alike titles
//	          api               key, key2, key#1, api key, unicode; section v2: key
//	          dup ×2            value             the same title twice
//	          certs             file tls.pem
//	          big               value (48 KiB)
//	          slow              value             held past the deadline
//	          <api's id>        key               a title that is another item's id
//	Team, team                                    one name, case aside
type cxWorld struct {
	fake            *fakeconnect.Server
	bin             string
	prod            fakeconnect.Vault
	db, api, shadow fakeconnect.Item
}

func newCxWorld(t *testing.T) *cxWorld {
	t.Helper()
	f := fakeconnect.Start(t)
	w := &cxWorld{fake: f, bin: sdktest.Install(t, sdktest.Cached(t, "./cmd/openclaw-1password-resolver"), nil)}
	w.prod = f.AddVault("Prod")
	p := w.prod.ID
	field := func(item, label string) fakeconnect.Field {
		return fakeconnect.Field{Label: label, Value: cxOwnValue("Prod/" + item + "/" + label)}
	}
	w.db = f.AddItem(p, fakeconnect.Item{Title: "db", Fields: []fakeconnect.Field{field("db", "password")}})
	f.AddItem(p, fakeconnect.Item{Title: "db-extra", Fields: []fakeconnect.Field{field("db-extra", "password")}})
	f.AddItem(p, fakeconnect.Item{Title: "d", Fields: []fakeconnect.Field{field("d", "password")}})
	v2 := f.NewID()
	w.api = f.AddItem(p, fakeconnect.Item{
		Title:    "api",
		Sections: []fakeconnect.Section{{ID: v2, Label: "v2"}},
		Fields: []fakeconnect.Field{
			field("api", "key"), field("api", "key2"), field("api", "key#1"), field("api", "api key"),
			{Label: "unicode", Value: cxUnicode},
			{Label: "key", Value: cxOwnValue("Prod/api/v2/key"), Section: v2},
		},
	})
	for range 2 {
		f.AddItem(p, fakeconnect.Item{Title: "dup", Fields: []fakeconnect.Field{field("dup", "value")}})
	}
	f.AddItem(p, fakeconnect.Item{Title: "certs", Files: []fakeconnect.File{{Name: "tls.pem", Content: []byte(cxPEM)}}})
	f.AddItem(p, fakeconnect.Item{Title: "big", Fields: []fakeconnect.Field{{Label: "value", Value: cxBig}}})
	slow := f.AddItem(p, fakeconnect.Item{Title: "slow", Fields: []fakeconnect.Field{field("slow", "value")}})
	f.FailItem(slow.ID, fakeconnect.ItemFault{Delay: time.Minute})
	w.shadow = f.AddItem(p, fakeconnect.Item{Title: w.api.ID, Fields: []fakeconnect.Field{{Label: "key", Value: "value of the item titled like api's id"}}})
	f.AddVault("Team")
	f.AddVault("team")
	t.Cleanup(func() {
		if stray := f.Stray(); len(stray) > 0 {
			t.Errorf("requests outside the API reached the fake: %q", stray)
		}
	})
	return w
}

// provider runs the resolver in connect mode against the fake, args after
// --mode connect.
func (w *cxWorld) provider(args ...string) host.Provider {
	return host.Provider{
		Source: "exec", Command: w.bin,
		Args: append([]string{"--mode", "connect"}, args...),
		Env:  map[string]string{"OP_CONNECT_HOST": w.fake.URL, "OP_CONNECT_TOKEN": fakeconnect.Token},
	}
}

func (w *cxWorld) fixture() *conformance.Fixture {
	p := w.provider("--timeout", "3s")
	p.TimeoutMs = 5000
	return &conformance.Fixture{
		Name:     cxProvider,
		Provider: p,
		Values: map[string]string{
			"Prod/db/password":                  cxOwnValue("Prod/db/password"),
			"Prod/db-extra/password":            cxOwnValue("Prod/db-extra/password"),
			"Prod/d/password":                   cxOwnValue("Prod/d/password"),
			"op://Prod/api/key":                 cxOwnValue("Prod/api/key"),
			"Prod/api/key":                      cxOwnValue("Prod/api/key"), // what near misses of other ids name
			"Prod/" + w.api.ID + "/key":         cxOwnValue("Prod/api/key"),
			"Prod/api/key2":                     cxOwnValue("Prod/api/key2"),
			"Prod/api/key#1":                    cxOwnValue("Prod/api/key#1"),
			"Prod/api/v2/key":                   cxOwnValue("Prod/api/v2/key"),
			w.prod.ID + "/" + w.api.ID + "/key": cxOwnValue("Prod/api/key"),
			"Prod/" + w.api.ID + "/key2":        cxOwnValue("Prod/api/key2"),
			cxOpb64("op://Prod/api/api key"):    cxOwnValue("Prod/api/api key"),
			"Prod/api/unicode":                  cxUnicode,
			"Prod/certs/tls.pem":                cxPEM,
			"Prod/big/value":                    cxBig,
		},
		NotFound:   []string{"Prod/db/missing", "Prod/missing/password", "Nowhere/db/password"},
		Ambiguous:  []string{"Prod/dup/value", "Team/db/password"},
		Invalid:    []string{"Prod/db", "a/b/c/d/e", "opb64:A"},
		Slow:       []string{"Prod/slow/value"},
		GatewayEnv: map[string]string{},
	}
}

// The conformance suite, every case, against the installed binary in
// connect mode.
func TestConnectConformance(t *testing.T) {
	w := newCxWorld(t)
	conformance.Run(t, "", w.fixture())
}

// The same fixture through the real OpenClaw gateway (make e2e-openclaw;
// skipped otherwise).
func TestGatewayConnectConformance(t *testing.T) {
	w := newCxWorld(t)
	conformance.RunGateway(t, "", w.fixture())
}

func TestConnectBinaryExactness(t *testing.T) {
	w := newCxWorld(t)
	p, db := w.prod.ID, w.db.ID
	ids := []string{
		// One item named five ways, and a field of it twice: one fetch.
		"Prod/db/password", "prod/DB/password", p + "/db/password", "Prod/" + db + "/password", cxOpb64("op://Prod/db/password"),
		"Prod/db-extra/password", "Prod/d/password", "Prod/db-extr/password", "Prod/db-extra/passwor",
		"Prod/api/key", "Prod/api/v2/key", "Prod/" + w.api.ID + "/key", "Prod/dup/value", "Team/db/password",
	}
	res := cxResolve(t, w.provider(), ids...)
	cxValues(t, res, map[string]string{
		"Prod/db/password":               cxOwnValue("Prod/db/password"),
		"prod/DB/password":               cxOwnValue("Prod/db/password"),
		p + "/db/password":               cxOwnValue("Prod/db/password"),
		"Prod/" + db + "/password":       cxOwnValue("Prod/db/password"),
		cxOpb64("op://Prod/db/password"): cxOwnValue("Prod/db/password"),
		"Prod/db-extra/password":         cxOwnValue("Prod/db-extra/password"),
		"Prod/d/password":                cxOwnValue("Prod/d/password"),
		"Prod/api/key":                   cxOwnValue("Prod/api/key"), // the default section's, not v2's
		"Prod/api/v2/key":                cxOwnValue("Prod/api/v2/key"),
		"Prod/" + w.api.ID + "/key":      cxOwnValue("Prod/api/key"), // the id, not the item titled with it
	})
	cxCodes(t, res, map[string]protocol.Code{
		"Prod/db-extr/password": protocol.NotFound,
		"Prod/db-extra/passwor": protocol.NotFound,
		"Prod/dup/value":        protocol.AmbiguousDuplicateKey,
		"Team/db/password":      protocol.AmbiguousDuplicateKey,
	})
	for item, want := range map[string]int{db: 1, w.api.ID: 1, w.shadow.ID: 0} {
		if n := w.fake.ItemFetches(p, item); n != want {
			t.Errorf("item %s fetched %d times, want %d", item, n, want)
		}
	}
	if n := w.fake.Count("/v1/vaults"); n != 1 {
		t.Errorf("vaults listed %d times, want 1", n)
	}
	if n := w.fake.Count("/v1/vaults/" + p + "/items"); n != 1 {
		t.Errorf("Prod's items listed %d times, want 1", n)
	}
}

// A batch of 512 ids, the gateway's largest, over 256 items in five
// vaults, each item named by title and by id, resolves whole within the
// default timeouts (the resolver's 4 s, the gateway's 5 s), with each item
// fetched once, although every request takes a few milliseconds.
func TestConnectBinary512(t *testing.T) {
	w := newCxWorld(t)
	f := w.fake
	f.SetLatency(3 * time.Millisecond)
	want := map[string]string{}
	type key struct{ vault, item string }
	var items []key
	vaults := []fakeconnect.Vault{w.prod}
	for i := range 4 {
		vaults = append(vaults, f.AddVault(fmt.Sprintf("bulk-%d", i)))
	}
	for i := range 256 {
		vault := vaults[i%len(vaults)]
		title := fmt.Sprintf("item-%03d", i)
		it := f.AddItem(vault.ID, fakeconnect.Item{Title: title, Fields: []fakeconnect.Field{
			{Label: "a", Value: cxOwnValue(vault.Name + "/" + title + "/a")},
			{Label: "b", Value: cxOwnValue(vault.Name + "/" + title + "/b")},
		}})
		items = append(items, key{vault.ID, it.ID})
		want[vault.Name+"/"+title+"/a"] = cxOwnValue(vault.Name + "/" + title + "/a")
		want[vault.ID+"/"+it.ID+"/b"] = cxOwnValue(vault.Name + "/" + title + "/b")
	}
	if len(want) != 512 {
		t.Fatalf("%d ids, want 512", len(want))
	}
	f.Reset()
	res := cxResolve(t, w.provider(), slices.Sorted(maps.Keys(want))...)
	cxValues(t, res, want)
	for _, k := range items {
		if n := f.ItemFetches(k.vault, k.item); n != 1 {
			t.Errorf("item %s fetched %d times, want 1", k.item, n)
		}
	}
	if n, all := len(f.Requests()), 1+len(vaults)+256; n != all { // the vault list, each vault's items, each item
		t.Errorf("%d requests, want %d", n, all)
	}
}

// The provider block of docs/resolvers/1password.md: the host in env, the
// token passed from the gateway's environment.
func TestConnectBinaryDocumentedBlock(t *testing.T) {
	w := newCxWorld(t)
	p := host.Provider{Source: "exec", Command: w.bin, Args: []string{"--mode", "connect"},
		Env: map[string]string{"OP_CONNECT_HOST": w.fake.URL}, PassEnv: []string{"OP_CONNECT_TOKEN"}}
	gateway := &host.Runner{LookupEnv: func(name string) (string, bool) {
		if name == "OP_CONNECT_TOKEN" {
			return fakeconnect.Token, true
		}
		return "", false
	}}
	var res map[string]host.Result
	var err error
	cxRetryBusy(func() error {
		res, err = gateway.Resolve(context.Background(), cxProvider, p, []string{"Prod/db/password"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cxValues(t, res, map[string]string{"Prod/db/password": cxOwnValue("Prod/db/password")})
}

func TestConnectBinaryFailures(t *testing.T) {
	w := newCxWorld(t)
	w.fake.SetToken("another-token")
	run := cxExec(t, w.provider(), "Prod/db/password")
	cxExit(t, run, 77, "refused the token", "OP_CONNECT_TOKEN")

	w.fake.Close()
	run = cxExec(t, w.provider(), "Prod/db/password")
	cxExit(t, run, 69, "cannot reach Connect at "+w.fake.URL)

	p := w.provider()
	delete(p.Env, "OP_CONNECT_TOKEN")
	run = cxExec(t, p, "Prod/db/password")
	cxExit(t, run, 78, "OP_CONNECT_TOKEN")
}

func TestConnectBinaryCheck(t *testing.T) {
	w := newCxWorld(t)
	p := w.provider()
	p.Args = append(p.Args, "check")
	run := cxExec(t, p)
	out, err := check.Decode(run.Stdout)
	if err != nil || run.ExitCode != 0 || !out.OK || !slices.ContainsFunc(out.Checks, func(c check.Result) bool { return c.Name == "connect token" }) {
		t.Errorf("check: exit %d, %+v, %v\nstderr: %s", run.ExitCode, out, err, run.Stderr)
	}
	if n := len(w.fake.Requests()); n != 1 {
		t.Errorf("the check sent %d requests, want the vault list alone", n)
	}
}

func cxOpb64(ref string) string { return "opb64:" + base64.RawURLEncoding.EncodeToString([]byte(ref)) }

// cxBusy reports a start that failed with ETXTBSY: parallel tests
// install their own copies of binaries, and a process forked while a copy
// was being written holds it open until it execs (golang.org/issue/22315).
func cxBusy(err error) bool {
	var pe *host.ProviderError
	return errors.As(err, &pe) && errors.Is(pe.Err, host.ErrStart) && errors.Is(pe.Cause, syscall.ETXTBSY)
}

func cxRetryBusy(f func() error) {
	for i := 0; i < 50 && cxBusy(f()); i++ {
		time.Sleep(20 * time.Millisecond)
	}
}

// cxResolve runs ids through the gateway's whole path and requires it to
// work as a whole.
func cxResolve(t *testing.T, p host.Provider, ids ...string) map[string]host.Result {
	t.Helper()
	var res map[string]host.Result
	var err error
	cxRetryBusy(func() error {
		res, err = cxGateway.Resolve(context.Background(), cxProvider, p, ids)
		return err
	})
	if err != nil {
		t.Fatalf("resolve: %v", err)
	}
	return res
}

// cxExec runs the resolver on ids with --verbose and checks that stderr
// holds neither the token nor a value of the world.
func cxExec(t *testing.T, p host.Provider, ids ...string) *host.Run {
	t.Helper()
	p.Args = append([]string{"--verbose"}, p.Args...) // before a command such as check
	req := protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: cxProvider, IDs: ids})
	var run *host.Run
	var err error
	cxRetryBusy(func() error {
		run, err = cxGateway.Exec(context.Background(), cxProvider, p, req)
		return err
	})
	if run == nil {
		t.Fatalf("did not run: %v", err)
	}
	for _, s := range []string{fakeconnect.Token, cxOwnValue("Prod/db/password"), cxPEM[:40]} {
		if strings.Contains(string(run.Stderr), s) {
			t.Errorf("stderr holds a secret (%d bytes):\n%s", len(s), run.Stderr)
		}
	}
	return run
}

func cxExit(t *testing.T, run *host.Run, status int, fragments ...string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(string(run.Stderr)), "\n")
	last := lines[len(lines)-1]
	if run.ExitCode != status || len(run.Stdout) != 0 {
		t.Errorf("exit %d with %d bytes on stdout, want %d and none; stderr:\n%s", run.ExitCode, len(run.Stdout), status, run.Stderr)
	}
	for _, f := range fragments {
		if !strings.Contains(last, f) {
			t.Errorf("last stderr line %q does not mention %q", last, f)
		}
	}
}

func cxValues(t *testing.T, res map[string]host.Result, want map[string]string) {
	t.Helper()
	for _, id := range slices.Sorted(maps.Keys(want)) {
		r := res[id]
		if v, _ := r.Value.(string); r.Err != nil || v != want[id] {
			t.Errorf("%s: err %v, value of %d bytes, want %d bytes", id, r.Err, len(v), len(want[id]))
		}
	}
}

func cxCodes(t *testing.T, res map[string]host.Result, want map[string]protocol.Code) {
	t.Helper()
	for _, id := range slices.Sorted(maps.Keys(want)) {
		var pe *protocol.Error
		if r := res[id]; !errors.As(r.Err, &pe) || pe.Code != want[id] {
			t.Errorf("%s: got %v (value set: %v), want %s", id, r.Err, r.Value != nil, want[id])
		}
	}
}
