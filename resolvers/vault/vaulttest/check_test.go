package vaulttest_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/vault/vaulttest/server"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/check"
	"github.com/execref/execref/sdk/host"
)

// The resolver's self-check (`openclaw-vault-resolver [args] check`)
// against a real Vault, run as a doctor runs it: through the host runner,
// the gateway's empty environment but the provider's env, no stdin.

// runCheck runs the check, requires a well-formed report, and that
// neither stdout nor stderr holds a secret.
func runCheck(t *testing.T, p host.Provider) (*host.Run, check.Output) {
	t.Helper()
	p.Args = append(slices.Clone(p.Args), "check")
	run, err := gateway.Exec(context.Background(), "vault", p, nil)
	if run == nil {
		t.Fatalf("did not run: %v", err)
	}
	noSecrets(t, "stdout", string(run.Stdout), p)
	noSecrets(t, "stderr", string(run.Stderr), p)
	out, err := check.Decode(run.Stdout)
	if err != nil {
		t.Fatalf("stdout: %v: %q\nstderr: %s", err, run.Stdout, run.Stderr)
	}
	return run, out
}

// checkResult finds a check by name.
func checkResult(out check.Output, name string) check.Result {
	for _, c := range out.Checks {
		if c.Name == name {
			return c
		}
	}
	return check.Result{}
}

// checkPasses requires exit 0 and every named check ok.
func checkPasses(t *testing.T, p host.Provider, names ...string) check.Output {
	t.Helper()
	run, out := runCheck(t, p)
	if run.ExitCode != 0 || !out.OK {
		t.Fatalf("exit %d\n%s", run.ExitCode, run.Stderr)
	}
	for _, n := range names {
		if c := checkResult(out, n); c.Status != check.StatusOK {
			t.Errorf("%s: %+v, want ok", n, c)
		}
	}
	return out
}

// checkFails requires the first failure to be name with code and the
// exit status, its detail holding each of words.
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

func TestCheckWithToken(t *testing.T) {
	s := server.Start(t)
	out := checkPasses(t, tokenProvider(s.Addr, s.RootToken, "--mount", server.MountKV2), "settings", "address", "reachable", "credentials", "token", "mount")
	if d := checkResult(out, "token").Detail; !strings.Contains(d, "policies [root]") || !strings.Contains(d, "never expires") {
		t.Errorf("token: %q", d)
	}
	if d := checkResult(out, "mount").Detail; d != `"kv2/" (--mount) is KV version 2` {
		t.Errorf("mount: %q", d)
	}
	// The bundled resolver's settings, a two-segment mount of KV v2.
	p := provider(s.Addr, map[string]string{"VAULT_TOKEN": s.RootToken, "OPENCLAW_VAULT_KV_MOUNT": server.MountTeam, "OPENCLAW_VAULT_KV_VERSION": "2"})
	out = checkPasses(t, p, "mount")
	if d := checkResult(out, "settings").Detail; !strings.Contains(d, "OPENCLAW_VAULT_KV_MOUNT, OPENCLAW_VAULT_KV_VERSION") {
		t.Errorf("settings: %q", d)
	}

	// A token without the default policy cannot look itself up: a
	// warning. Its policy lets it see the mount it reads from.
	limited := s.Token(t, server.TokenOptions{Policies: []string{server.PolicyReadOnlyApp}, TTL: "1h"})
	run, out := runCheck(t, tokenProvider(s.Addr, limited, "--mount", server.MountKV2))
	if c := checkResult(out, "token"); run.ExitCode != 0 || c.Status != check.StatusWarn || !strings.Contains(c.Detail, "lookup-self") {
		t.Fatalf("exit %d, token %+v\n%s", run.ExitCode, c, run.Stderr)
	}
	if c := checkResult(out, "mount"); c.Status != check.StatusOK {
		t.Errorf("mount: %+v", c)
	}
	// And nothing in kv1: the mount reads as missing, since Vault answers
	// alike.
	checkFails(t, tokenProvider(s.Addr, limited, "--mount", server.MountKV1), sdk.ExitConfig, "mount", check.CodeConfig,
		`mount "kv1" (--mount) does not exist, or the token may read nothing in it`)

	// A use-limited token is warned about.
	once := s.Token(t, server.TokenOptions{NumUses: 5}) // the root policy, which has lookup-self
	run, out = runCheck(t, tokenProvider(s.Addr, once, "--mount", server.MountKV2))
	if c := checkResult(out, "token"); run.ExitCode != 0 || c.Status != check.StatusWarn || !strings.Contains(c.Detail, "more uses") {
		t.Fatalf("exit %d, token %+v\n%s", run.ExitCode, c, run.Stderr)
	}
}

// The token an AppRole login mints for the check is revoked: Vault holds
// as many tokens after the check as before.
func TestCheckAppRoleRevokesItsToken(t *testing.T) {
	s := server.Start(t)
	a := s.AppRole
	accessors := func() int {
		sec, err := s.Client.Logical().List("auth/token/accessors")
		if err != nil || sec == nil {
			t.Fatalf("listing token accessors: %v", err)
		}
		keys, _ := sec.Data["keys"].([]any)
		return len(keys)
	}
	before := accessors()
	mark := s.Audit.Mark()
	p := provider(s.Addr, map[string]string{"VAULT_ROLE_ID": a.RoleID, "VAULT_SECRET_ID": a.SecretID}, "--auth", "approle", "--mount", server.MountKV2)
	checkPasses(t, p, "credentials", "token", "mount", "revoke")
	entries, err := s.Audit.Since(mark)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(server.Requests(entries, "auth/token/revoke-self")); n != 1 {
		t.Errorf("%d revoke-self requests, want 1", n)
	}
	if after := accessors(); after != before {
		t.Errorf("%d tokens before the check, %d after: the login's token outlives it", before, after)
	}
	// A secret id Vault does not know: the login is refused, exit 77.
	p = provider(s.Addr, map[string]string{"VAULT_ROLE_ID": a.RoleID, "VAULT_SECRET_ID": "00000000-0000-0000-0000-000000000000"}, "--auth", "approle")
	checkFails(t, p, sdk.ExitNoPerm, "credentials", protocol.Unauthenticated, "login refused at auth/"+a.Mount)
}

// Each fault is told apart: by the check that fails, its code, its exit
// status and what it says to do.
func TestCheckFaults(t *testing.T) {
	s := server.Start(t)
	closed := server.FreeAddr(t)
	checkFails(t, tokenProvider(closed, s.RootToken), sdk.ExitUnavailable, "reachable", protocol.Unavailable,
		"Vault at "+closed+" did not answer sys/health", "connection refused")
	checkFails(t, tokenProvider(s.Addr, "hvs.CAESIInvalidTokenForExecrefTests"), sdk.ExitNoPerm, "token", protocol.Unauthenticated,
		"Vault refused the token")
	checkFails(t, tokenProvider(s.Addr, s.RootToken, "--mount", "nope"), sdk.ExitConfig, "mount", check.CodeConfig,
		`mount "nope" (--mount) does not exist`)
	checkFails(t, tokenProvider(s.Addr, s.RootToken, "--mount", "kv2/app"), sdk.ExitConfig, "mount", check.CodeConfig,
		`"kv2/app" (--mount) is not a mount: Vault says it is inside mount "kv2/"`)
	checkFails(t, tokenProvider(s.Addr, s.RootToken, "--mount", server.MountKV2, "--kv-version", "1"), sdk.ExitConfig, "mount", check.CodeConfig,
		`Vault says mount "kv2/" is KV version 2`)
	checkFails(t, provider(s.Addr, map[string]string{"VAULT_TOKEN": s.RootToken, "OPENCLAW_VAULT_AUTH_METHOD": "ldap"}), sdk.ExitConfig, "settings", check.CodeConfig,
		`OPENCLAW_VAULT_AUTH_METHOD="ldap"`)

	// TLS that cannot be verified is configuration, not an outage.
	pk := newPKI(t)
	front := tlsFront(t, s.Addr, pk.serverByName, pk, false)
	checkFails(t, tokenProvider(front, s.RootToken, "--tls-server-name", "vault.execref.test"), sdk.ExitConfig, "tls", check.CodeConfig,
		"TLS certificate is not trusted", "VAULT_CACERT")
	checkPasses(t, tokenProvider(front, s.RootToken, "--tls-server-name", "vault.execref.test", "--ca-cert", pk.caFile), "tls")

	// Sealed last: it is for good.
	if err := s.Seal(); err != nil {
		t.Fatal(err)
	}
	checkFails(t, tokenProvider(s.Addr, s.RootToken), sdk.ExitUnavailable, "reachable", protocol.Unavailable, "is sealed")
}
