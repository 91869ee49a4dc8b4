package vault

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/check"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// These tests run `openclaw-vault-resolver [args] check`, built and
// installed, through the host runner with the gateway's empty environment,
// against the fake Vault (with the endpoints only the check uses) or no
// Vault at all. vaulttest runs the check against a real Vault.

// checkVault is the fake Vault, answering sys/health, lookup-self and
// revoke-self besides what the fake answers.
type checkVault struct {
	*fakeVault
	url     string
	revoked []string // tokens revoked by revoke-self
}

func newCheckVault(t *testing.T) *checkVault {
	c := &checkVault{fakeVault: newFakeVault(t)}
	c.mounts["secret/"] = fakeMount{kind: "kv", version: "1"}
	c.mounts["kv2/"] = fakeMount{kind: "kv", version: "2"}
	c.mounts["transit/"] = fakeMount{kind: "transit"}
	c.logins["approle"] = "hvs.fake-login-token"
	srv := httptest.NewServer(http.HandlerFunc(c.serve))
	t.Cleanup(srv.Close)
	c.url = srv.URL
	return c
}

func (c *checkVault) serve(w http.ResponseWriter, r *http.Request) {
	token := r.Header.Get("X-Vault-Token")
	valid := token == c.token || token == c.logins["approle"] && !slices.Contains(c.revokedTokens(), token)
	reply := func(status int, body string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write([]byte(body))
	}
	switch r.URL.Path {
	case "/v1/sys/health":
		reply(200, `{"initialized":true,"sealed":false,"standby":false,"version":"1.21.0-fake"}`)
	case "/v1/auth/token/lookup-self":
		if !valid {
			reply(403, `{"errors":["permission denied","invalid token"]}`)
			return
		}
		reply(200, `{"data":{"id":"`+token+`","display_name":"token-check","policies":["default","kv-reader"],"ttl":3600,"num_uses":0}}`)
	case "/v1/auth/token/revoke-self":
		c.mu.Lock()
		c.revoked = append(c.revoked, token)
		c.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		c.fakeVault.serve(w, r)
	}
}

func (c *checkVault) revokedTokens() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.revoked)
}

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := "http://" + ln.Addr().String()
	ln.Close()
	return addr
}

var emptyGateway = &host.Runner{LookupEnv: func(string) (string, bool) { return "", false }}

// runCheck runs the check with env and args and requires a well-formed
// report, a summary on stderr, and no token in either.
func runCheck(t *testing.T, env map[string]string, args ...string) (*host.Run, check.Output) {
	t.Helper()
	bin := sdktest.Install(t, sdktest.Cached(t, "./cmd/openclaw-vault-resolver"), nil)
	p := host.Provider{Source: "exec", Command: bin, Args: append(args, "check"), Env: env}
	run, err := emptyGateway.Exec(context.Background(), "vault", p, nil)
	if run == nil {
		t.Fatalf("did not run: %v", err)
	}
	out, err := check.Decode(run.Stdout)
	if err != nil {
		t.Fatalf("stdout: %v: %q\nstderr: %s", err, run.Stdout, run.Stderr)
	}
	if !strings.Contains(string(run.Stderr), out.Verdict()) {
		t.Errorf("no summary on stderr: %s", run.Stderr)
	}
	for _, secret := range []string{"fake-root-token", "fake-login-token", "not-the-token", "secret-id-value"} {
		if strings.Contains(string(run.Stdout)+string(run.Stderr), secret) {
			t.Fatalf("a credential leaked:\n%s\n%s", run.Stdout, run.Stderr)
		}
	}
	return run, out
}

// checkFails requires the first failure to be name, with code and status,
// and a detail holding each of words.
func checkFails(t *testing.T, status int, name string, code protocol.Code, env map[string]string, args []string, words ...string) check.Output {
	t.Helper()
	run, out := runCheck(t, env, args...)
	fails := out.Failures()
	if run.ExitCode != status || len(fails) == 0 || fails[0].Name != name || fails[0].Code != code {
		t.Fatalf("exit %d (want %d), failures %+v (want %s %s)\nstderr: %s", run.ExitCode, status, fails, name, code, run.Stderr)
	}
	for _, w := range words {
		if !strings.Contains(fails[0].Detail, w) {
			t.Errorf("%s: detail %q does not say %q", name, fails[0].Detail, w)
		}
	}
	return out
}

func statusOf(out check.Output, name string) check.Status {
	for _, c := range out.Checks {
		if c.Name == name {
			return c.Status
		}
	}
	return ""
}

func detailOf(out check.Output, name string) string {
	for _, c := range out.Checks {
		if c.Name == name {
			return c.Detail
		}
	}
	return ""
}

func TestCheckPasses(t *testing.T) {
	v := newCheckVault(t)
	run, out := runCheck(t, map[string]string{"VAULT_ADDR": v.url, "VAULT_TOKEN": v.token, envKVMount: "kv2"})
	if run.ExitCode != 0 || !out.OK {
		t.Fatalf("exit %d\n%s", run.ExitCode, run.Stderr)
	}
	for name, want := range map[string]string{
		"settings":    `PATH/FIELD ids in mount "kv2" (KV version looked up), auth token; from the bundled resolver's settings: ` + envKVMount,
		"address":     v.url + " (VAULT_ADDR)",
		"reachable":   "Vault 1.21.0-fake, initialized, unsealed, active",
		"credentials": "token from VAULT_TOKEN",
		"token":       "accepted: token-check, policies [default, kv-reader], expires in 1h0m0s",
		"mount":       `"kv2/" (` + envKVMount + `) is KV version 2`,
	} {
		if d := detailOf(out, name); d != want || statusOf(out, name) != check.StatusOK {
			t.Errorf("%s: %s %q, want ok %q", name, statusOf(out, name), d, want)
		}
	}
}

// A token minted by a login for the check is revoked when it ends.
func TestCheckRevokesALoginToken(t *testing.T) {
	v := newCheckVault(t)
	run, out := runCheck(t, map[string]string{"VAULT_ADDR": v.url, "VAULT_ROLE_ID": "role", "VAULT_SECRET_ID": "secret-id-value"}, "--auth", "approle")
	if run.ExitCode != 0 || statusOf(out, "revoke") != check.StatusOK || !slices.Equal(v.revokedTokens(), []string{"hvs.fake-login-token"}) {
		t.Fatalf("exit %d, revoked %q\n%s", run.ExitCode, v.revokedTokens(), run.Stderr)
	}
	if d := detailOf(out, "credentials"); !strings.Contains(d, "logged in at auth/approle") {
		t.Errorf("credentials: %q", d)
	}
	// A login refused is refused credentials.
	checkFails(t, sdk.ExitNoPerm, "credentials", protocol.Unauthenticated,
		map[string]string{"VAULT_ADDR": v.url, "VAULT_ROLE_ID": "role", "VAULT_SECRET_ID": "secret-id-value"}, []string{"--auth", "approle", "--auth-mount", "other"},
		"login refused at auth/other")
}

func TestCheckFaults(t *testing.T) {
	v := newCheckVault(t)
	good := func(extra map[string]string) map[string]string {
		env := map[string]string{"VAULT_ADDR": v.url, "VAULT_TOKEN": v.token}
		for k, val := range extra {
			env[k] = val
		}
		return env
	}
	closed := closedAddr(t)
	checkFails(t, sdk.ExitUnavailable, "reachable", protocol.Unavailable, good(map[string]string{"VAULT_ADDR": closed}), nil,
		"Vault at "+closed+" did not answer sys/health", "connection refused")
	checkFails(t, sdk.ExitNoPerm, "token", protocol.Unauthenticated, good(map[string]string{"VAULT_TOKEN": "hvs.not-the-token"}), nil,
		"Vault refused the token")
	checkFails(t, sdk.ExitConfig, "mount", check.CodeConfig, good(nil), []string{"--mount", "nope"},
		`mount "nope" (--mount) does not exist, or the token may read nothing in it`)
	checkFails(t, sdk.ExitConfig, "mount", check.CodeConfig, good(map[string]string{envKVMount: "kv2/app"}), nil,
		`"kv2/app" (`+envKVMount+`) is not a mount: Vault says it is inside mount "kv2/"`)
	checkFails(t, sdk.ExitConfig, "mount", check.CodeConfig, good(map[string]string{envKVMount: "transit"}), nil,
		`is a "transit" engine, not KV`)
	checkFails(t, sdk.ExitConfig, "mount", check.CodeConfig, good(map[string]string{envKVVersion: "2"}), nil,
		`the KV version is set to 2 (--kv-version or `+envKVVersion+`), but Vault says mount "secret/" is KV version 1`)
	checkFails(t, sdk.ExitConfig, "settings", check.CodeConfig, good(map[string]string{envKVVersion: "3"}), nil, envKVVersion+`="3": want 1 or 2`)
	checkFails(t, sdk.ExitConfig, "address", check.CodeConfig, map[string]string{"VAULT_TOKEN": v.token}, nil, "no Vault address: pass VAULT_ADDR")
	checkFails(t, sdk.ExitConfig, "address", check.CodeConfig, good(map[string]string{"VAULT_ADDR": "vault.example.com:8200"}), nil, "VAULT_ADDR")
	checkFails(t, sdk.ExitConfig, "credentials", check.CodeConfig, map[string]string{"VAULT_ADDR": v.url}, nil, "no Vault token")

	// The default mount missing is a warning: ids written MOUNT/PATH#FIELD
	// do not need it.
	delete(v.mounts, "secret/")
	run, out := runCheck(t, good(nil))
	if run.ExitCode != 0 || statusOf(out, "mount") != check.StatusWarn || !strings.Contains(detailOf(out, "mount"), "only ids written MOUNT/PATH#FIELD can work") {
		t.Fatalf("exit %d\n%s", run.ExitCode, run.Stderr)
	}
	// Unless every id is PATH/FIELD.
	checkFails(t, sdk.ExitConfig, "mount", check.CodeConfig, good(nil), []string{"--bundled-ids"}, `mount "secret" (the default) does not exist`)
}
