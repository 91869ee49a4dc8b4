package vaulttest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/vault/vaulttest/server"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// These tests build openclaw-vault-resolver and run it through the SDK's
// host runner exactly as the gateway runs it (empty environment but the
// provider's env, its own directory as cwd, the gateway's limits and
// parsing), against a real Vault in this process (package server).

const resolverPkg = "github.com/execref/execref/resolvers/vault/cmd/openclaw-vault-resolver"

var binary string

func TestMain(m *testing.M) {
	if os.Getenv(benchVaultEnv) != "" {
		// TestBenchServer serves a Vault to make bench-compare and runs
		// no resolver: nothing to build, and no workspace to build in.
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "execref-vault-*")
	if err != nil {
		panic(err)
	}
	binary, err = sdktest.Build(dir, resolverPkg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// gateway is an empty gateway environment: only a provider's env reaches
// the resolver.
var gateway = &host.Runner{LookupEnv: func(string) (string, bool) { return "", false }}

// provider runs the resolver against addr with env (VAULT_ADDR is added
// unless env sets it, or sets it to "" to leave it out) and args.
func provider(addr string, env map[string]string, args ...string) host.Provider {
	e := map[string]string{"VAULT_ADDR": addr}
	for k, v := range env {
		e[k] = v
	}
	if e["VAULT_ADDR"] == "" {
		delete(e, "VAULT_ADDR")
	}
	return host.Provider{Source: "exec", Command: binary, Args: args, Env: e}
}

// tokenProvider is provider with VAULT_TOKEN.
func tokenProvider(addr, token string, args ...string) host.Provider {
	return provider(addr, map[string]string{"VAULT_TOKEN": token}, args...)
}

// outcome is one run of the resolver with --verbose: its status, its
// parsed response (when it exited 0), and its stderr, already checked for
// secrets.
type outcome struct {
	run  *host.Run
	resp map[string]host.Result
}

// exec runs the resolver on ids with --verbose added, checks that stderr
// holds no secret, and parses stdout as the gateway does when the exit
// status is 0.
func exec(t testing.TB, p host.Provider, ids ...string) outcome {
	t.Helper()
	p.Args = append(slices.Clone(p.Args), "--verbose")
	req := protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: "vault", IDs: ids})
	run, err := gateway.Exec(context.Background(), "vault", p, req)
	if run == nil {
		t.Fatalf("did not run: %v", err)
	}
	noSecrets(t, "stderr", string(run.Stderr), p)
	o := outcome{run: run}
	if run.ExitCode == 0 {
		o.resp, err = host.ParseResponse("vault", run.Stdout, ids, true)
		if err != nil {
			t.Fatalf("response: %v\nstderr: %s", err, run.Stderr)
		}
	}
	return o
}

// lastLine is the last line of a run's stderr.
func lastLine(stderr []byte) string {
	lines := strings.Split(strings.TrimSuffix(string(stderr), "\n"), "\n")
	return lines[len(lines)-1]
}

// ok runs ids and requires exit 0.
func ok(t testing.TB, p host.Provider, ids ...string) map[string]host.Result {
	t.Helper()
	o := exec(t, p, ids...)
	if o.run.ExitCode != 0 {
		t.Fatalf("exit %d, stderr: %s", o.run.ExitCode, o.run.Stderr)
	}
	return o.resp
}

// fails runs ids and requires a whole-provider failure: this exit status,
// nothing on stdout, one line on stderr containing want.
func fails(t testing.TB, p host.Provider, status int, want string, ids ...string) {
	t.Helper()
	o := exec(t, p, ids...)
	last := lastLine(o.run.Stderr)
	if o.run.ExitCode != status || len(o.run.Stdout) != 0 || !strings.Contains(last, want) {
		t.Errorf("exit %d (want %d), stdout %d bytes, last stderr line %q (want it to contain %q)\nstderr: %s",
			o.run.ExitCode, status, len(o.run.Stdout), last, want, o.run.Stderr)
	}
}

// quiet is fails without --verbose: exactly one stderr line.
func quiet(t testing.TB, p host.Provider, status int, ids ...string) string {
	t.Helper()
	req := protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: "vault", IDs: ids})
	run, _ := gateway.Exec(context.Background(), "vault", p, req)
	if run == nil {
		t.Fatal("did not run")
	}
	noSecrets(t, "stderr", string(run.Stderr), p)
	stderr := string(run.Stderr)
	if run.ExitCode != status || len(run.Stdout) != 0 || strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
		t.Errorf("exit %d (want %d), stdout %d bytes, stderr %q (want one line)", run.ExitCode, status, len(run.Stdout), stderr)
	}
	return stderr
}

// expectValues checks that every id of want resolved to its exact value.
func expectValues(t testing.TB, res map[string]host.Result, want map[string]string) {
	t.Helper()
	for id, v := range want {
		r, found := res[id]
		switch {
		case !found:
			t.Errorf("%s: no result", id)
		case r.Err != nil:
			t.Errorf("%s: %v", id, r.Err)
		case r.Value != v:
			t.Errorf("%s: wrong value (%d bytes, want %d)", id, len(fmt.Sprint(r.Value)), len(v))
		}
	}
}

// expectCode checks that id failed with code, and a message containing
// every one of words (case-insensitive).
func expectCode(t testing.TB, res map[string]host.Result, id string, code protocol.Code, words ...string) {
	t.Helper()
	r := res[id]
	var pe *protocol.Error
	if !errors.As(r.Err, &pe) || pe.Code != code {
		t.Errorf("%s: %v (value set: %v), want %s", id, r.Err, r.Value != nil, code)
		return
	}
	for _, w := range words {
		if !strings.Contains(strings.ToLower(pe.Message), strings.ToLower(w)) {
			t.Errorf("%s: message %q does not say %q", id, pe.Message, w)
		}
	}
}

// codeOf is the code of an id's failure, "" for a value.
func codeOf(r host.Result) protocol.Code {
	var pe *protocol.Error
	if errors.As(r.Err, &pe) {
		return pe.Code
	}
	if r.Err != nil {
		return "HOST:" + protocol.Code(r.Err.Error())
	}
	return ""
}

// secretsOf lists what must never appear on stderr or in a message: every
// fixture value, the tokens and credentials the provider carries.
func secretsOf(p host.Provider) []string {
	out := []string{server.Marker, strings.Split(server.PEM, "\n")[3], server.OpenAIKey[:20]}
	for k, v := range p.Env {
		if strings.Contains(k, "TOKEN") && !strings.HasSuffix(k, "_FILE") && v != "" || k == "VAULT_SECRET_ID" {
			out = append(out, v)
		}
	}
	return append(out, credentialFiles...)
}

// credentialFiles holds the contents of the credential files the tests
// wrote, which must not leak either.
var credentialFiles []string

func noSecrets(t testing.TB, where, text string, p host.Provider) {
	t.Helper()
	for _, s := range secretsOf(p) {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("%s holds a secret (%d bytes, starting %.4q…):\n%s", where, len(s), s, text)
		}
	}
}

// messages returns every error message of a response, for leak checks.
func messages(res map[string]host.Result) string {
	var sb strings.Builder
	for _, r := range res {
		if r.Err != nil {
			sb.WriteString(r.Err.Error() + "\n")
		}
	}
	return sb.String()
}

// secretFile writes a credential file with mode perm and returns its path.
func secretFile(t testing.TB, name, content string, perm os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil {
		t.Fatal(err)
	}
	credentialFiles = append(credentialFiles, strings.TrimSpace(content))
	return path
}

// auditReads counts the requests Vault audited after mark whose path has
// prefix, by operation, path and (HMAC'd) parameters.
func auditReads(t testing.TB, s *server.Server, mark server.Mark, prefix string) map[string]int {
	t.Helper()
	entries, err := s.Audit.Since(mark)
	if err != nil {
		t.Fatal(err)
	}
	return server.Count(server.Requests(entries, prefix))
}

func ids(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}
