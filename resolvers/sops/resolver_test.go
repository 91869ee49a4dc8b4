package sops_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execref/execref/conformance"
	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/sops"
	"github.com/execref/execref/resolvers/sops/internal/encrypt"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// These tests run the built openclaw-sops-resolver through the SDK's host
// runner, as the gateway runs it, on files encrypted with real age keys.

const pemValue = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\nünïcødé+/=\n-----END PRIVATE KEY-----\n"

// plaintexts are the test files, one per format.
var plaintexts = map[string]struct{ name, format, text string }{
	"":       {"secrets.enc.yaml", "yaml", "openai:\n  apiKey: sk-yaml-123\ndb.primary:\n  url: postgres://app:pw@db/app\n  port: 5432\nservers:\n  - name: a\n    password: pa\n  - name: b\n    password: pb\ntls:\n  key: |\n" + indent(pemValue, "    ") + "unicode: \"pässwörd-密码-🔑 \\\"q\\\" \\\\ \\t\"\nhuge: 1e21\n\"chan#ops\":\n  token: hash-token-chan#ops\n"},
	"prod":   {"prod.enc.json", "json", `{"openai":{"apiKey":"sk-json-456"},"list":["x","y"],"n":3.25,"big":1e20}`},
	"env":    {"app.env", "dotenv", "API_KEY=sk-env-789\nDB_PASSWORD=p@ss w0rd\n"},
	"legacy": {"app.ini", "ini", "[database]\npassword = ini-secret\n[api]\nkey = ini-key\n"},
	"cert":   {"tls.pem", "binary", pemValue},
}

func indent(s, pad string) string {
	lines := strings.SplitAfter(strings.TrimSuffix(s, "\n"), "\n")
	return pad + strings.Join(lines, pad) + "\n"
}

// env is one installed resolver: its binary beside encrypted files and a
// key, and the provider block that runs it.
type env struct {
	dir      string
	id       encrypt.Identity
	keyFile  string
	provider host.Provider
}

func install(t testing.TB) *env {
	t.Helper()
	id, err := encrypt.NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "age-key.txt")
	must(t, os.WriteFile(keyFile, id.KeyFile(), 0o600))
	args := []string{}
	files := map[string][]byte{}
	for alias, p := range plaintexts {
		files[p.name] = encrypt.MustEncrypt(t, []byte(p.text), p.format, id.Recipient)
		if alias == "" {
			args = append(args, "--file", p.name)
		} else {
			args = append(args, "--file", alias+"="+p.name)
		}
	}
	bin := sdktest.Install(t, sdktest.Cached(t, "./cmd/openclaw-sops-resolver"), files)
	return &env{dir: filepath.Dir(bin), id: id, keyFile: keyFile, provider: host.Provider{
		Source: "exec", Command: bin, Args: args, Env: map[string]string{"SOPS_AGE_KEY_FILE": keyFile},
	}}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// gateway is an empty gateway environment: only the provider's env reaches
// the resolver.
var gateway = &host.Runner{LookupEnv: func(string) (string, bool) { return "", false }}

func resolve(t *testing.T, p host.Provider, ids ...string) (map[string]host.Result, error) {
	t.Helper()
	return gateway.Resolve(context.Background(), "sops", p, ids)
}

func TestEveryFormat(t *testing.T) {
	e := install(t)
	want := map[string]string{
		"openai/apiKey":            "sk-yaml-123",
		"db.primary/url":           "postgres://app:pw@db/app",
		"db.primary/port":          "5432",
		"servers/1/password":       "pb",
		"tls/key":                  pemValue,
		"unicode":                  "pässwörd-密码-🔑 \"q\" \\ \t",
		"prod:openai/apiKey":       "sk-json-456",
		"prod:n":                   "3.25",
		"huge":                     "1e+21",                 // as sops -d --extract prints it
		"prod:big":                 "100000000000000000000", // JSON's form; YAML's would be 1e+20
		"env:DB_PASSWORD":          "p@ss w0rd",
		"legacy:database/password": "ini-secret",
		"cert:":                    pemValue,
	}
	ids := make([]string, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	res, err := resolve(t, e.provider, ids...)
	must(t, err)
	for id, v := range want {
		if res[id].Err != nil || res[id].Value != v {
			t.Errorf("%s: %v (value ok: %v)", id, res[id].Err, res[id].Value == v)
		}
	}
}

func TestPerIDErrors(t *testing.T) {
	e := install(t)
	res, err := resolve(t, e.provider, "openai/missing", "servers/9/name", "prod:list", "openai//apiKey", "openai/apiKey")
	must(t, err)
	codes := map[string]protocol.Code{
		"openai/missing": protocol.NotFound, "servers/9/name": protocol.NotFound,
		"prod:list": protocol.InvalidValue, "openai//apiKey": protocol.InvalidID,
	}
	for id, code := range codes {
		if !errors.Is(res[id].Err, code) {
			t.Errorf("%s: %v, want %s", id, res[id].Err, code)
		}
	}
	if res["openai/apiKey"].Value != "sk-yaml-123" {
		t.Error("a good id failed alongside bad ones")
	}
	// --json turns maps and lists into JSON text.
	e.provider.Args = append(e.provider.Args, "--json")
	res, err = resolve(t, e.provider, "prod:list", "servers/0")
	must(t, err)
	if res["prod:list"].Value != `["x","y"]` || res["servers/0"].Value != `{"name":"a","password":"pa"}` {
		t.Errorf("--json: %+v", res)
	}
}

// run executes the resolver on ids with --verbose and returns the run.
func run(t *testing.T, p host.Provider, ids ...string) *host.Run {
	t.Helper()
	p.Args = append(slicesClone(p.Args), "--verbose")
	req := protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: "sops", IDs: ids})
	r, err := gateway.Exec(context.Background(), "sops", p, req)
	if r == nil {
		t.Fatalf("did not run: %v", err)
	}
	return r
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }

// Each file the batch refers to is decrypted once; the others not at all:
// a tampered file that no id refers to does not even fail the batch.
func TestDecryptsEachReferencedFileOnce(t *testing.T) {
	e := install(t)
	tampered := encrypt.Tamper(mustRead(t, filepath.Join(e.dir, "prod.enc.json")))
	must(t, os.WriteFile(filepath.Join(e.dir, "prod.enc.json"), tampered, 0o600))
	ids := []string{"openai/apiKey", "db.primary/url", "db.primary/port", "servers/0/name", "servers/1/password", "tls/key", "unicode", "env:API_KEY", "env:DB_PASSWORD"}
	r := run(t, e.provider, ids...)
	if r.ExitCode != 0 {
		t.Fatalf("exit %d: %s", r.ExitCode, r.Stderr)
	}
	stderr := string(r.Stderr)
	if n := strings.Count(stderr, "decrypted the default file"); n != 1 {
		t.Errorf("default file decrypted %d times for 7 ids:\n%s", n, stderr)
	}
	if n := strings.Count(stderr, `decrypted file "env"`); n != 1 {
		t.Errorf("env file decrypted %d times:\n%s", n, stderr)
	}
	if strings.Contains(stderr, `"prod"`) || strings.Contains(stderr, `"legacy"`) || strings.Contains(stderr, `"cert"`) {
		t.Errorf("an unreferenced file was touched:\n%s", stderr)
	}
	if strings.Contains(stderr, "sk-yaml") || strings.Contains(stderr, "pässwörd") {
		t.Errorf("a value reached stderr:\n%s", stderr)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	must(t, err)
	return data
}

// failure runs ids and expects a whole-provider failure with this exit
// status and a stderr line containing want, and no value anywhere.
func failure(t *testing.T, p host.Provider, status int, want string, ids ...string) {
	t.Helper()
	r := run(t, p, ids...)
	if r.ExitCode != status || len(r.Stdout) != 0 || !strings.Contains(string(r.Stderr), want) {
		t.Errorf("exit %d (want %d), stdout %d bytes, stderr %q (want %q)", r.ExitCode, status, len(r.Stdout), r.Stderr, want)
	}
	for _, secret := range []string{"sk-yaml", "sk-json", "ini-secret", "AGE-SECRET-KEY"} {
		if strings.Contains(string(r.Stderr), secret) {
			t.Errorf("stderr holds %q: %s", secret, r.Stderr)
		}
	}
}

func TestWholeProviderFailures(t *testing.T) {
	e := install(t)

	// The wrong key: exit 77, naming the file.
	other, _ := encrypt.NewIdentity()
	wrongKey := filepath.Join(t.TempDir(), "other.txt")
	must(t, os.WriteFile(wrongKey, other.KeyFile(), 0o600))
	p := e.provider
	p.Env = map[string]string{"SOPS_AGE_KEY_FILE": wrongKey}
	failure(t, p, sdk.ExitNoPerm, "no configured key can decrypt it", "prod:openai/apiKey")

	// No key at all (an empty environment): also 77.
	p.Env = nil
	failure(t, p, sdk.ExitNoPerm, `file "prod"`, "prod:openai/apiKey")

	// The key given inline instead of in a file works.
	p.Env = map[string]string{"SOPS_AGE_KEY": e.id.Secret}
	if res, err := resolve(t, p, "prod:openai/apiKey"); err != nil || res["prod:openai/apiKey"].Value != "sk-json-456" {
		t.Errorf("SOPS_AGE_KEY: %v", err)
	}

	// A tampered file: exit 78, integrity.
	tampered := filepath.Join(e.dir, "prod.enc.json")
	must(t, os.WriteFile(tampered, encrypt.Tamper(mustRead(t, tampered)), 0o600))
	failure(t, e.provider, sdk.ExitConfig, "integrity check failed", "prod:openai/apiKey")

	// A value removed from the file: what is left decrypts, but the MAC
	// no longer matches.
	dropped, err := encrypt.DropValue(encrypt.MustEncrypt(t, []byte(plaintexts["prod"].text), "json", e.id.Recipient), "json")
	must(t, err)
	must(t, os.WriteFile(tampered, dropped, 0o600))
	failure(t, e.provider, sdk.ExitConfig, "modified without sops (its MAC does not match)", "prod:openai/apiKey")

	// A file that is not there, and one that is not encrypted.
	p = e.provider
	p.Args = []string{"--file", "gone=missing.yaml", "--file", "plain=plain.yaml"}
	must(t, os.WriteFile(filepath.Join(e.dir, "plain.yaml"), []byte("a: b\n"), 0o600))
	failure(t, p, sdk.ExitConfig, "is not readable", "gone:a")
	failure(t, p, sdk.ExitConfig, "is not a sops-encrypted yaml file", "plain:a")

	// No file configured at all.
	p.Args = nil
	failure(t, p, sdk.ExitConfig, "no file", "a")
}

// A key file that is named but cannot be read is a configuration error
// (78), as docs/protocol.md says, not refused credentials (77): the
// operator fixes the path, not the key.
func TestUnreadableKeyFileIsConfiguration(t *testing.T) {
	e := install(t)
	p := e.provider
	for _, env := range []string{"SOPS_AGE_KEY_FILE", "SOPS_AGE_SSH_PRIVATE_KEY_FILE"} {
		missing := filepath.Join(t.TempDir(), "missing.txt")
		p.Env = map[string]string{env: missing}
		failure(t, p, sdk.ExitConfig, env+" is not readable: "+missing, "openai/apiKey")
	}
}

// A file encrypted to a PGP key needs gpg, which the gateway's empty
// environment cannot find: the resolver says so, and what to pass. No gpg
// is needed for this test: without PATH there is none to find.
func TestPGPWithoutGPG(t *testing.T) {
	e := install(t)
	const fp = "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4"
	pgpFile, err := encrypt.ToPGP(encrypt.MustEncrypt(t, []byte("a: b\n"), "yaml", e.id.Recipient), "yaml", fp)
	must(t, err)
	must(t, os.WriteFile(filepath.Join(e.dir, "pgp.enc.yaml"), pgpFile, 0o600))
	p := e.provider
	p.Env = nil
	p.Args = []string{"--file", "pgp.enc.yaml"}
	failure(t, p, sdk.ExitConfig, "its PGP key "+fp+" needs gpg, which was not found: PATH is not set; pass it with passEnv, or give --gpg (or SOPS_GPG_EXEC) the path of gpg", "a")

	p.Args = []string{"--file", "pgp.enc.yaml", "--gpg", "/nonexistent/gpg"}
	failure(t, p, sdk.ExitConfig, "its PGP key "+fp+" needs gpg, which was not found: --gpg /nonexistent/gpg", "a")

	p.Args = []string{"--file", "pgp.enc.yaml"}
	p.Env = map[string]string{"SOPS_GPG_EXEC": "/nonexistent/gpg2"}
	failure(t, p, sdk.ExitConfig, "its PGP key "+fp+" needs gpg, which was not found: SOPS_GPG_EXEC /nonexistent/gpg2", "a")

	p.Env = map[string]string{"PATH": t.TempDir()}
	failure(t, p, sdk.ExitConfig, "its PGP key "+fp+" needs gpg, which was not found: no gpg in PATH", "a")
}

func TestFilePolicy(t *testing.T) {
	e := install(t)
	// A key file others can read is refused before sops reads it.
	must(t, os.Chmod(e.keyFile, 0o644))
	failure(t, e.provider, sdk.ExitConfig, "permissions are too open", "openai/apiKey")
	must(t, os.Chmod(e.keyFile, 0o600))

	// An encrypted file others can write is refused: anyone could swap it.
	yamlFile := filepath.Join(e.dir, "secrets.enc.yaml")
	must(t, os.Chmod(yamlFile, 0o666))
	failure(t, e.provider, sdk.ExitConfig, "permissions are too open", "openai/apiKey")
	must(t, os.Chmod(yamlFile, 0o600))

	// A symlinked file is refused unless --allow-symlinks; outside
	// --trusted-dir is refused.
	link := filepath.Join(e.dir, "link.yaml")
	must(t, os.Symlink(yamlFile, link))
	p := e.provider
	p.Args = []string{"--file", "link.yaml"}
	failure(t, p, sdk.ExitConfig, "must not be a symlink", "openai/apiKey")
	p.Args = append(p.Args, "--allow-symlinks")
	if res, err := resolve(t, p, "openai/apiKey"); err != nil || res["openai/apiKey"].Value != "sk-yaml-123" {
		t.Errorf("--allow-symlinks: %v", err)
	}
	p.Args = []string{"--file", "secrets.enc.yaml", "--trusted-dir", t.TempDir()}
	failure(t, p, sdk.ExitConfig, "outside trustedDirs", "openai/apiKey")
}

// fixture is the conformance fixture for an installed resolver: values of
// every format, NOT_FOUND ids, and ids outside its own syntax.
func fixture(e *env) *conformance.Fixture {
	return &conformance.Fixture{
		Name:     "sops",
		Provider: e.provider,
		Values: map[string]string{
			"openai/apiKey": "sk-yaml-123", "servers/0/password": "pa", "tls/key": pemValue,
			"unicode": "pässwörd-密码-🔑 \"q\" \\ \t", "prod:openai/apiKey": "sk-json-456",
			"env:API_KEY": "sk-env-789", "legacy:api/key": "ini-key", "cert:": pemValue,
			"chan#ops/token": "hash-token-chan#ops",
		},
		NotFound:   []string{"openai/missing", "prod:nothing/here"},
		Invalid:    []string{"openai//apiKey"},
		GatewayEnv: map[string]string{},
	}
}

func TestConformance(t *testing.T) {
	e := install(t)
	conformance.Run(t, "", fixture(e))
}

func TestGatewayConformance(t *testing.T) {
	e := install(t)
	conformance.RunGateway(t, "", fixture(e))
}

// BenchmarkResolve is a whole run as the gateway pays for it: process
// start, policy checks, decryption of one file, 1, 64 or 512 ids from it.
func BenchmarkResolve(b *testing.B) {
	for _, n := range []int{1, 64, 512} {
		ids, plain := benchDocument(n)
		e := install(b)
		must(b, os.WriteFile(filepath.Join(e.dir, "bench.json"), encrypt.MustEncrypt(b, plain, "json", e.id.Recipient), 0o600))
		e.provider.Args = []string{"--file", "bench.json"}
		b.Run(fmt.Sprintf("ids=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := gateway.Resolve(context.Background(), "sops", e.provider, ids)
				if err != nil || len(res) != n {
					b.Fatalf("%d results, %v", len(res), err)
				}
			}
		})
	}
}

// BenchmarkServe is the resolver's own work, in process: decode, decrypt
// one file, select 1, 64 or 512 values, encode; its allocations included.
func BenchmarkServe(b *testing.B) {
	for _, n := range []int{1, 64, 512} {
		ids, plain := benchDocument(n)
		id, err := encrypt.NewIdentity()
		must(b, err)
		path := filepath.Join(b.TempDir(), "bench.json")
		must(b, os.WriteFile(path, encrypt.MustEncrypt(b, plain, "json", id.Recipient), 0o600))
		b.Setenv("SOPS_AGE_KEY", id.Secret)
		req := protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: "sops", IDs: ids})
		b.Run(fmt.Sprintf("ids=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var out bytes.Buffer
				p := sdk.Program{Name: "bench", Backend: sops.New()}
				if st := sdk.Serve(p, []string{"--file", path}, bytes.NewReader(req), &out, io.Discard); st != 0 {
					b.Fatalf("status %d", st)
				}
			}
		})
	}
}

// benchDocument is a JSON file of n keys and the ids that ask for them all.
func benchDocument(n int) (ids []string, plain []byte) {
	doc := map[string]string{}
	ids = make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("key%03d", i)
		doc[ids[i]] = fmt.Sprintf("sk-%064d", i)
	}
	plain, _ = json.Marshal(doc)
	return ids, plain
}
