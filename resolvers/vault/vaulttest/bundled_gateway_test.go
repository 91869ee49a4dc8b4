package vaulttest_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	ocgateway "github.com/execref/execref/conformance/gateway"
	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/vault/vaulttest/server"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/host"
)

// The differential test against the gateway's own Vault resolver: the
// bundled "vault" plugin's vault-secret-ref-resolver.js from the installed
// openclaw package, run by Node 24 through the host runner exactly like
// ours, with the same ids and the same OPENCLAW_VAULT_* settings, against
// the same Vault. Replacing its command by ours must be a drop-in: the
// same value for every id it answers. Where we deliberately differ, the
// difference is named below (and in docs/resolvers/vault.md, "Migrating
// from the gateway's Vault resolver") and checked.

// bundledResolver is the bundled plugin's provider, as its preset
// (openclaw.plugin.json) defines it: ${node} and the plugin's script, 15 s
// timeouts. The script imports @openclaw/fs-safe, which resolves from its
// place inside the installed package.
func bundledResolver(g *ocgateway.Gateway, env map[string]string) host.Provider {
	script := filepath.Join(g.Prefix, "node_modules", "openclaw", "dist", "extensions", "vault", "vault-secret-ref-resolver.js")
	return host.Provider{Source: "exec", Command: g.Node, Args: []string{script}, Env: env, TimeoutMs: 15000, NoOutputTimeoutMs: 15000}
}

// A deliberate difference: what the bundled resolver and ours each give.
type difference struct {
	name  string // as the migration list in docs/resolvers/vault.md names it
	check func(bundled, ours host.Result, want string) error
}

var (
	// The bundled resolver sends an empty or blank string, which the
	// gateway then refuses; we send INVALID_VALUE.
	emptyValue = difference{"an empty or blank value is INVALID_VALUE", func(b, o host.Result, _ string) error {
		if s, ok := b.Value.(string); !ok || protocol.TrimSpace(s) != "" || !errors.Is(b.Err, host.ErrNotString) {
			return fmt.Errorf("bundled: %v (value %q), want an empty or blank string", b.Err, b.Value)
		}
		return wantCode(o, protocol.InvalidValue)
	}}
	// Both fail; the bundled resolver's errors carry no code, ours do.
	notFoundCode = difference{"a missing secret or field is NOT_FOUND", func(b, o host.Result, _ string) error {
		if err := uncoded(b); err != nil {
			return err
		}
		return wantCode(o, protocol.NotFound)
	}}
	nonStringCode = difference{"a non-string value is INVALID_VALUE", func(b, o host.Result, _ string) error {
		if err := uncoded(b); err != nil {
			return err
		}
		return wantCode(o, protocol.InvalidValue)
	}}
	// An id whose last segment holds '#': the bundled resolver reads the
	// field of that name; we read MOUNT/PATH#FIELD.
	hashLastSegment = difference{"an id whose last segment holds # is MOUNT/PATH#FIELD", func(b, o host.Result, want string) error {
		bundledWant, oursWant, _ := strings.Cut(want, "\x00")
		if b.Err != nil || b.Value != bundledWant {
			return fmt.Errorf("bundled: %v, want its field with '#'", b.Err)
		}
		if o.Err != nil || o.Value != oursWant {
			return fmt.Errorf("ours: %v, want the explicit form's item", o.Err)
		}
		return nil
	}}
	// OPENCLAW_VAULT_KV_VERSION unset: the bundled resolver assumes KV v2
	// and reads secret/data/PATH from a KV v1 mount (nothing there); we
	// look the version up.
	kvDetection = difference{"OPENCLAW_VAULT_KV_VERSION unset: the mount's version is looked up", func(b, o host.Result, want string) error {
		if b.Err == nil {
			return errors.New("bundled: a value, want a failure (KV v2 read of a KV v1 mount)")
		}
		if o.Err != nil || o.Value != want {
			return fmt.Errorf("ours: %v, want the KV v1 secret's value", o.Err)
		}
		return nil
	}}
)

func wantCode(o host.Result, code protocol.Code) error {
	if o.Value != nil || codeOf(o) != code {
		return fmt.Errorf("ours: %v (value set: %v), want %s", o.Err, o.Value != nil, code)
	}
	return nil
}

func uncoded(b host.Result) error {
	var pe *protocol.Error
	if !errors.As(b.Err, &pe) || pe.Code != "" {
		return fmt.Errorf("bundled: %v, want an error without a code", b.Err)
	}
	return nil
}

// diffConfig is one configuration both resolvers run with.
type diffConfig struct {
	name string
	addr string            // VAULT_ADDR; "" for the server's
	env  map[string]string // the provider's env, besides VAULT_ADDR
	args []string          // our resolver's args
	// values are the ids both must answer, with their values; fail the
	// ids both must fail (codes may differ: the bundled resolver has
	// none); differ the ids on which we deliberately differ, with the
	// argument of its check.
	values map[string]string
	fail   []string
	differ map[string]diffCase
	// whole, when set, is a difference of the whole run: checked by
	// wholeRun instead of per id.
	whole    string
	wholeRun func(t *testing.T, bundled, ours outcome, c diffConfig)
}

type diffCase struct {
	difference
	want string
}

// diffNames are the secrets each KV mount of the differential holds (the
// "legacy" secret in two versions in KV v2), besides the fixtures'.
var diffNames = []advSecret{
	{"legacy", 2, []string{"token"}},
	{"legacy:v1", 1, []string{"token"}},
	{"legacy:v2", 1, []string{"token", "other:v1"}},
	{"a#b", 1, []string{"c"}},
	{"app#1/dir", 1, []string{"f"}},
	{"app.x-y_z", 1, []string{"f.g", "h-i_j"}},
	{"deep/a/b/c", 1, []string{"f"}},
	{"svc", 1, []string{"key", "key#2"}},
}

// writeDiffSet writes diffNames to mount, with the odd values: an empty
// string, a blank one, a number, an object.
func writeDiffSet(t *testing.T, s *server.Server, mount string, version int) {
	t.Helper()
	for _, sec := range diffNames {
		n := sec.versions
		if version == 1 {
			n = 1
		}
		for v := 1; v <= n; v++ {
			fields := map[string]any{}
			for _, f := range sec.fields {
				fields[f] = diffItem(mount, version, sec.name, v, f).value()
			}
			if err := s.PutKV(mount, version, sec.name, fields); err != nil {
				t.Fatalf("write %s%s: %v", mount, sec.name, err)
			}
		}
	}
	odd := map[string]any{"empty": "", "blank": " \t ", "number": 42, "object": map[string]any{"a": "b"}, "ok": "odd-ok-s3cr3t"}
	if err := s.PutKV(mount, version, "odd", odd); err != nil {
		t.Fatal(err)
	}
}

func diffItem(mount string, version int, name string, v int, field string) advItem {
	if version == 1 {
		v = 0
	}
	return advItem{mount, name, v, field}
}

// bundledIDs are the ids of the differential, in the bundled syntax
// (PATH/FIELD), for mount of version, with the outcome each must have.
func bundledIDs(mount string, version int) diffConfig {
	latest := func(name string) int {
		for _, s := range diffNames {
			if s.name == name {
				return s.versions
			}
		}
		return 1
	}
	c := diffConfig{values: map[string]string{}, differ: map[string]diffCase{}}
	for _, sec := range diffNames {
		for _, f := range sec.fields {
			if strings.Contains(f, "#") {
				continue
			}
			c.values[sec.name+"/"+f] = diffItem(mount, version, sec.name, latest(sec.name), f).value()
		}
	}
	c.values["odd/ok"] = "odd-ok-s3cr3t"
	c.differ["odd/empty"] = diffCase{emptyValue, ""}
	c.differ["odd/blank"] = diffCase{emptyValue, ""}
	c.differ["odd/number"] = diffCase{nonStringCode, ""}
	c.differ["odd/object"] = diffCase{nonStringCode, ""}
	c.differ["missing/token"] = diffCase{notFoundCode, ""}
	c.differ["legacy/missing"] = diffCase{notFoundCode, ""}
	// ":vN" at the end of a path is part of the secret's name in the
	// bundled syntax, in both: a name that does not exist is no version.
	c.differ["legacy:v3/token"] = diffCase{notFoundCode, ""}
	return c
}

// TestBundledDifferentialGateway: the bundled resolver and ours, same
// ids, same settings, same Vault; run by make e2e-openclaw (skipped
// unless EXECREF_NODE and EXECREF_OPENCLAW_PREFIX name an installed
// gateway, failing instead when EXECREF_REQUIRE_GATEWAY=1).
func TestBundledDifferentialGateway(t *testing.T) {
	g := ocgateway.Require(t)
	s := server.Start(t)
	token := s.RootToken

	// Configuration A, before secret/ is KV v2: the fixtures' KV v1 secret/.
	a := diffConfig{name: "default mount, secret/ KV v1", env: map[string]string{"VAULT_TOKEN": token},
		values: map[string]string{}, differ: map[string]diffCase{
			"providers/openai/apiKey": {kvDetection, server.SecretAPI},
			"providers/github/token":  {kvDetection, server.GitHubToken},
		}, fail: []string{"providers/missing/apiKey"}}
	runDifferential(t, g, s, a)

	// secret/ upgraded to KV v2, the bundled resolver's default.
	s.UpgradeKV(t, "secret/")
	writeDiffSet(t, s, "secret/", 2)
	for _, m := range []struct {
		path, version string
	}{{"kv", "2"}, {"svc", "2"}} {
		if err := s.MountKV(m.path, m.version); err != nil {
			t.Fatal(err)
		}
	}
	writeDiffSet(t, s, "kv/", 2)
	writeDiffSet(t, s, "kv1/", 1)
	writeDiffSet(t, s, "kv2/", 2)
	// The item the explicit form reads for svc/key#2: secret key of mount
	// svc/, field 2.
	if err := s.PutKV("svc/", 2, "key", map[string]any{"2": "svc-mount-key-field-2-s3cr3t"}); err != nil {
		t.Fatal(err)
	}

	b := bundledIDs("secret/", 2)
	b.name, b.env = "default mount, KV v2", map[string]string{"VAULT_TOKEN": token}
	b.values["providers/openai/apiKey"] = server.SecretAPI // version 1 since the upgrade
	b.differ["svc/key#2"] = diffCase{hashLastSegment, diffItem("secret/", 2, "svc", 1, "key#2").value() + "\x00svc-mount-key-field-2-s3cr3t"}
	runDifferential(t, g, s, b)

	// --bundled-ids: every id read as the bundled resolver reads it, so
	// the one id above that names another secret names the same one.
	bb := bundledIDs("secret/", 2)
	bb.name, bb.env, bb.args = "default mount, KV v2, --bundled-ids", map[string]string{"VAULT_TOKEN": token}, []string{"--bundled-ids"}
	bb.values["providers/openai/apiKey"] = server.SecretAPI
	bb.values["svc/key#2"] = diffItem("secret/", 2, "svc", 1, "key#2").value()
	runDifferential(t, g, s, bb)

	tokenFile := secretFile(t, "token", token+"\n", 0o600)
	c := bundledIDs("kv/", 2)
	c.name = "OPENCLAW_VAULT_KV_MOUNT=kv, token_file (VAULT_TOKEN set but not used)"
	c.env = map[string]string{"OPENCLAW_VAULT_KV_MOUNT": " /kv/ ", "OPENCLAW_VAULT_AUTH_METHOD": "token_file",
		"VAULT_TOKEN_FILE": tokenFile, "VAULT_TOKEN": "hvs.CAESIaTokenNobodyMayUse"}
	runDifferential(t, g, s, c)

	d := bundledIDs("kv1/", 1)
	d.name = "OPENCLAW_VAULT_KV_MOUNT=kv1, OPENCLAW_VAULT_KV_VERSION=1"
	d.env = map[string]string{"VAULT_TOKEN": token, "OPENCLAW_VAULT_KV_MOUNT": "kv1", "OPENCLAW_VAULT_KV_VERSION": "1"}
	runDifferential(t, g, s, d)

	jwt := secretFile(t, "jwt", s.JWTToken(t, "gateway", 5*time.Minute)+"\n", 0o600)
	e := bundledIDs("kv2/", 2)
	e.name = "jwt auth, OPENCLAW_VAULT_KV_MOUNT=kv2, KV version 2 given"
	e.env = map[string]string{"OPENCLAW_VAULT_AUTH_METHOD": "jwt", "OPENCLAW_VAULT_AUTH_ROLE": s.JWT.Role,
		"OPENCLAW_VAULT_JWT_FILE": jwt, "OPENCLAW_VAULT_AUTH_MOUNT": "/" + s.JWT.Mount + "/",
		"OPENCLAW_VAULT_KV_MOUNT": "kv2", "OPENCLAW_VAULT_KV_VERSION": "2"}
	runDifferential(t, g, s, e)

	k8s := secretFile(t, "sa-token", s.KubernetesToken(t, s.Kubernetes.Namespace, s.Kubernetes.ServiceAccount), 0o600)
	f := bundledIDs("kv2/", 2)
	f.name = "kubernetes auth, OPENCLAW_VAULT_KV_MOUNT=kv2"
	f.env = map[string]string{"OPENCLAW_VAULT_AUTH_METHOD": "kubernetes", "OPENCLAW_VAULT_AUTH_ROLE": s.Kubernetes.Role,
		"OPENCLAW_VAULT_JWT_FILE": k8s, "OPENCLAW_VAULT_KV_MOUNT": "kv2"}
	runDifferential(t, g, s, f)

	// TLS: a server certificate from a private CA, trusted through
	// NODE_EXTRA_CA_CERTS, as the bundled plugin's docs say.
	p := newPKI(t)
	h := bundledIDs("kv/", 2)
	h.name, h.addr = "https, NODE_EXTRA_CA_CERTS", tlsFront(t, s.Addr, p.serverIP, p, false)
	h.env = map[string]string{"VAULT_TOKEN": token, "OPENCLAW_VAULT_KV_MOUNT": "kv", "NODE_EXTRA_CA_CERTS": p.caFile, "NODE_USE_SYSTEM_CA": "1"}
	runDifferential(t, g, s, h)

	// Whole-run differences.
	w := bundledIDs("kv/", 2)
	w.name = "VAULT_TOKEN_FILE, OPENCLAW_VAULT_AUTH_METHOD unset"
	w.env = map[string]string{"VAULT_TOKEN_FILE": tokenFile, "OPENCLAW_VAULT_KV_MOUNT": "kv"}
	w.whole = "OPENCLAW_VAULT_AUTH_METHOD unset: VAULT_TOKEN, else VAULT_TOKEN_FILE"
	w.wholeRun = func(t *testing.T, bundled, ours outcome, c diffConfig) {
		if bundled.run.ExitCode == 0 {
			t.Errorf("bundled: exit 0, want a failure (it needs VAULT_TOKEN unless told token_file)")
		}
		checkValues(t, "ours", ours, c.values)
	}
	runDifferential(t, g, s, w)

	x := bundledIDs("kv/", 2)
	x.name = "OPENCLAW_VAULT_KV_VERSION=3"
	x.env = map[string]string{"VAULT_TOKEN": token, "OPENCLAW_VAULT_KV_MOUNT": "kv", "OPENCLAW_VAULT_KV_VERSION": "3"}
	x.whole = "an invalid setting fails the provider (exit 78)"
	x.wholeRun = func(t *testing.T, bundled, ours outcome, c diffConfig) {
		if bundled.run.ExitCode == 0 {
			for id, r := range bundled.resp {
				if r.Err == nil {
					t.Errorf("bundled: %s has a value with OPENCLAW_VAULT_KV_VERSION=3", id)
				}
			}
		}
		if ours.run.ExitCode != sdk.ExitConfig || !strings.Contains(lastLine(ours.run.Stderr), "OPENCLAW_VAULT_KV_VERSION") {
			t.Errorf("ours: exit %d, %q; want %d naming OPENCLAW_VAULT_KV_VERSION", ours.run.ExitCode, lastLine(ours.run.Stderr), sdk.ExitConfig)
		}
	}
	runDifferential(t, g, s, x)
}

// runDifferential runs both resolvers with c and compares them id by id.
func runDifferential(t *testing.T, g *ocgateway.Gateway, s *server.Server, c diffConfig) {
	t.Helper()
	t.Run(c.name, func(t *testing.T) {
		env := map[string]string{"VAULT_ADDR": c.addr}
		if c.addr == "" {
			env["VAULT_ADDR"] = s.Addr
		}
		for k, v := range c.env {
			env[k] = v
		}
		ids := slices.Concat(slices.Collect(maps.Keys(c.values)), slices.Collect(maps.Keys(c.differ)), c.fail)
		slices.Sort(ids)
		bundled := runBundled(t, g, env, ids)
		ours := exec(t, host.Provider{Source: "exec", Command: binary, Args: c.args, Env: env}, ids...)
		if c.wholeRun != nil {
			t.Logf("whole-run difference: %s", c.whole)
			c.wholeRun(t, bundled, ours, c)
			return
		}
		if bundled.run.ExitCode != 0 || ours.run.ExitCode != 0 {
			t.Fatalf("bundled exit %d, ours exit %d: %s", bundled.run.ExitCode, ours.run.ExitCode, lastLine(ours.run.Stderr))
		}
		checkValues(t, "bundled", bundled, c.values)
		checkValues(t, "ours", ours, c.values)
		for _, id := range c.fail {
			for who, o := range map[string]outcome{"bundled": bundled, "ours": ours} {
				if r := o.resp[id]; r.Err == nil {
					t.Errorf("%s: %s has a value, want a failure", who, id)
				}
			}
		}
		for id, d := range c.differ {
			if err := d.check(bundled.resp[id], ours.resp[id], d.want); err != nil {
				t.Errorf("%s (%s): %v", id, d.name, err)
			}
		}
	})
}

// runBundled runs the bundled resolver through the host runner.
func runBundled(t *testing.T, g *ocgateway.Gateway, env map[string]string, ids []string) outcome {
	t.Helper()
	req := protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: "vault", IDs: ids})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	run, err := gateway.Exec(ctx, "vault", bundledResolver(g, env), req)
	if run == nil {
		t.Fatalf("bundled resolver did not run: %v", err)
	}
	o := outcome{run: run}
	if run.ExitCode == 0 {
		if o.resp, err = host.ParseResponse("vault", run.Stdout, ids, true); err != nil {
			t.Fatalf("bundled response: %v; stderr %s", err, run.Stderr)
		}
	}
	return o
}

// checkValues checks that every id of want got exactly its value.
func checkValues(t *testing.T, who string, o outcome, want map[string]string) {
	t.Helper()
	if o.run.ExitCode != 0 {
		t.Errorf("%s: exit %d: %s", who, o.run.ExitCode, lastLine(o.run.Stderr))
		return
	}
	for id, v := range want {
		r := o.resp[id]
		if r.Err != nil || r.Value != v {
			t.Errorf("%s: %s: %v, value %s, want %q", who, id, r.Err, describe(r.Value), v)
		}
	}
}

// describe shows a value by its item (the values of the set name their
// own item), or its length.
func describe(v any) string {
	s, ok := v.(string)
	switch {
	case v == nil:
		return "none"
	case !ok:
		return fmt.Sprintf("%T", v)
	case strings.HasPrefix(s, "<") && strings.Contains(s, ">"):
		return s[:strings.Index(s, ">")+1]
	}
	return fmt.Sprintf("of %d bytes", len(s))
}
