package vaulttest_test

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/vault/api"

	"github.com/execref/execref/resolvers/vault/vaulttest/server"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// These tests run openclaw-vault-resolver as an agent, started as an
// operator starts one for a provider (its args, exactly its env), and
// send it batches as the gateway does: the built binary, run by the host
// runner with --agent in its args. They count logins in Vault's audit log
// and find the agent's token among Vault's own (by accessor, as root), to
// prove that the agent logs in once, renews or replaces its token as it
// nears expiry, and revokes it when it stops; and that a token method's
// token, the user's, is read anew for every batch and never revoked.

// vaultAgent is one running agent, for provider p.
type vaultAgent struct {
	*sdktest.Agent
	p host.Provider
}

// startVaultAgent starts the agent for provider p with its args and
// --verbose, exactly its environment, in the command's directory, and
// waits until it listens.
func startVaultAgent(t *testing.T, p host.Provider) *vaultAgent {
	t.Helper()
	withVerbose := p
	withVerbose.Args = append(slices.Clone(p.Args), "--verbose")
	return &vaultAgent{Agent: sdktest.StartAgent(t, withVerbose), p: p}
}

// via is p forwarding its batches to the agent, with a deadline long
// enough that a loaded test machine does not send them cold: the agent
// gets half of --timeout.
func (a *vaultAgent) via(p host.Provider) host.Provider {
	p = a.Via(p)
	p.Args = append(p.Args, "--timeout", "16s")
	p.TimeoutMs, p.NoOutputTimeoutMs = 20000, 20000
	return p
}

// batch resolves the ids of want through the host runner with --agent,
// requires every value right and the batch answered by the agent (warm)
// or resolved cold, and returns the exec side's stderr. Neither side's
// stderr may hold a secret.
func (a *vaultAgent) batch(t *testing.T, p host.Provider, want map[string]string, warm bool) string {
	t.Helper()
	o := exec(t, a.via(p), slices.Sorted(maps.Keys(want))...)
	if o.run.ExitCode != 0 {
		t.Fatalf("exit %d:\n%s\nagent:\n%s", o.run.ExitCode, o.run.Stderr, a.Log)
	}
	expectValues(t, o.resp, want)
	stderr := string(o.run.Stderr)
	if answered := strings.Contains(stderr, "answered by the agent on "+a.Socket); answered != warm {
		t.Errorf("answered by the agent: %v, want %v:\n%s\nagent:\n%s", answered, warm, stderr, a.Log)
	}
	noSecrets(t, "the agent's stderr", a.Log.String(), p)
	return stderr
}

// stop sends SIGTERM and requires a clean exit. The agent's log is
// complete only then: its stderr is copied asynchronously.
func (a *vaultAgent) stop(t *testing.T) {
	t.Helper()
	if err := a.Stop(t); err != nil || !strings.Contains(a.Log.String(), "stopping: received terminated") {
		t.Errorf("after SIGTERM: %v\n%s", err, a.Log)
	}
	noSecrets(t, "the agent's stderr", a.Log.String(), a.p)
}

// agentSecrets writes n KV v2 secrets of two fields under kv2/agent/
// (which the kv-reader policy of every login reads), each value naming
// its own secret and field, and returns their ids with their values.
func agentSecrets(t *testing.T, s *server.Server, n int) map[string]string {
	t.Helper()
	want := map[string]string{}
	for i := range n {
		path := fmt.Sprintf("agent/p%d", i)
		data := map[string]any{}
		for _, f := range []string{"user", "key"} {
			data[f] = fmt.Sprintf("value of kv2/%s#%s %s", path, f, server.Marker)
			want["kv2/"+path+"#"+f] = data[f].(string)
		}
		if _, err := s.Client.Logical().Write("kv2/data/"+path, map[string]any{"data": data}); err != nil {
			t.Fatal(err)
		}
	}
	return want
}

// appRole creates an AppRole role with the kv-reader policy and the given
// token settings, and returns a provider that logs in with it.
func appRole(t *testing.T, s *server.Server, role string, token map[string]any) host.Provider {
	t.Helper()
	params := map[string]any{"token_policies": []string{server.PolicyKVReader}, "secret_id_ttl": "0"}
	maps.Copy(params, token)
	if _, err := s.Client.Logical().Write("auth/approle/role/"+role, params); err != nil {
		t.Fatal(err)
	}
	id, err := s.Client.Logical().Read("auth/approle/role/" + role + "/role-id")
	if err != nil {
		t.Fatal(err)
	}
	sid, err := s.Client.Logical().Write("auth/approle/role/"+role+"/secret-id", nil)
	if err != nil {
		t.Fatal(err)
	}
	return provider(s.Addr, map[string]string{"VAULT_ROLE_ID": id.Data["role_id"].(string), "VAULT_SECRET_ID": sid.Data["secret_id"].(string)}, "--auth", "approle")
}

// roleToken is a live token of an AppRole role, as root sees it.
type roleToken struct {
	accessor string
	expires  time.Time
}

// roleTokens lists the live service tokens AppRole logins as role hold.
func roleTokens(t *testing.T, s *server.Server, role string) []roleToken {
	t.Helper()
	list, err := s.Client.Logical().List("auth/token/accessors")
	if err != nil || list == nil {
		t.Fatalf("listing token accessors: %v", err)
	}
	keys, _ := list.Data["keys"].([]any)
	var out []roleToken
	for _, k := range keys {
		info, err := s.Client.Auth().Token().LookupAccessor(k.(string))
		if err != nil {
			continue // revoked meanwhile
		}
		if meta, _ := info.Data["meta"].(map[string]any); meta["role_name"] != role {
			continue
		}
		exp, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(info.Data["expire_time"]))
		out = append(out, roleToken{accessor: k.(string), expires: exp})
	}
	return out
}

// accessors are the tokens' accessors, sorted.
func accessors(tokens []roleToken) []string {
	out := make([]string, len(tokens))
	for i, tok := range tokens {
		out[i] = tok.accessor
	}
	slices.Sort(out)
	return out
}

// auditCount counts the requests Vault audited after mark at path.
func auditCount(t *testing.T, s *server.Server, mark server.Mark, path string) int {
	t.Helper()
	entries, err := s.Audit.Since(mark)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range server.Requests(entries, path) {
		if e.Request.Path == path {
			n++
		}
	}
	return n
}

// The agent logs in once for many batches, each answered by it with the
// right values; its token is revoked when it stops.
func TestAgentKeepsItsLogin(t *testing.T) {
	s := server.Start(t)
	want := agentSecrets(t, s, 3)
	p := appRole(t, s, "agent-long", map[string]any{"token_ttl": "10m"})
	mark := s.Audit.Mark()
	a := startVaultAgent(t, p)
	const batches = 5
	for range batches {
		a.batch(t, p, want, true)
	}
	if n := loginCount(t, s, mark, "approle"); n != 1 {
		t.Errorf("%d AppRole logins for %d batches, want 1", n, batches)
	}
	tokens := roleTokens(t, s, "agent-long")
	if len(tokens) != 1 {
		t.Fatalf("%d live tokens of the role, want the agent's 1", len(tokens))
	}
	a.stop(t)
	if n := strings.Count(a.Log.String(), "Vault login: reused"); n != batches-1 {
		t.Errorf("the login reused by %d batches, want %d:\n%s", n, batches-1, a.Log)
	}
	if _, err := s.Client.Auth().Token().LookupAccessor(tokens[0].accessor); err == nil {
		t.Error("the agent's token is still valid after the agent stopped")
	}
	if n := auditCount(t, s, mark, "auth/token/revoke-self"); n != 1 {
		t.Errorf("%d revoke-self requests, want 1", n)
	}
}

// Credentials expiring while warm: a token whose TTL (3 s) is under the
// agent's refresh margin (10 s) is due at every batch. Renewable, it is
// renewed (one login, the same token, a later expiry); not renewable (a
// batch token), a new login replaces it; expired while the agent kept it,
// the renewal fails and a new login replaces it. Every batch is answered
// by the agent with the right values.
func TestAgentExpiringLogin(t *testing.T) {
	s := server.Start(t)
	want := agentSecrets(t, s, 2)
	const batches = 3

	t.Run("renewable", func(t *testing.T) {
		p := appRole(t, s, "agent-renewable", map[string]any{"token_ttl": "3s", "token_max_ttl": "1h"})
		mark := s.Audit.Mark()
		a := startVaultAgent(t, p)
		var expiries []time.Time
		for range batches {
			a.batch(t, p, want, true)
			tokens := roleTokens(t, s, "agent-renewable")
			if len(tokens) != 1 {
				t.Fatalf("%d live tokens of the role, want the agent's 1", len(tokens))
			}
			expiries = append(expiries, tokens[0].expires)
			time.Sleep(50 * time.Millisecond) // a renewal measurably later
		}
		if n := loginCount(t, s, mark, "approle"); n != 1 {
			t.Errorf("%d logins for %d batches, want 1", n, batches)
		}
		if n := auditCount(t, s, mark, "auth/token/renew-self"); n != batches-1 {
			t.Errorf("%d renewals, want %d", n, batches-1)
		}
		for i := 1; i < len(expiries); i++ {
			if !expiries[i].After(expiries[i-1]) {
				t.Errorf("batch %d: the token expires at %s, batch %d left it at %s: not renewed", i+1, expiries[i], i, expiries[i-1])
			}
		}
		a.stop(t)
		if n := len(roleTokens(t, s, "agent-renewable")); n != 0 {
			t.Errorf("%d tokens of the role live after the agent stopped", n)
		}
	})

	t.Run("not renewable", func(t *testing.T) {
		p := appRole(t, s, "agent-batch-token", map[string]any{"token_ttl": "3s", "token_type": "batch"})
		mark := s.Audit.Mark()
		a := startVaultAgent(t, p)
		for range batches {
			a.batch(t, p, want, true)
		}
		if n := loginCount(t, s, mark, "approle"); n != batches {
			t.Errorf("%d logins for %d batches, want one each", n, batches)
		}
		if n := auditCount(t, s, mark, "auth/token/renew-self"); n != 0 {
			t.Errorf("%d renewals of a token Vault issued as not renewable", n)
		}
		a.stop(t)
	})

	t.Run("expired while kept", func(t *testing.T) {
		p := appRole(t, s, "agent-expired", map[string]any{"token_ttl": "1s", "token_max_ttl": "1h"})
		mark := s.Audit.Mark()
		a := startVaultAgent(t, p)
		a.batch(t, p, want, true)
		time.Sleep(1500 * time.Millisecond) // the token expires
		a.batch(t, p, want, true)
		if n := loginCount(t, s, mark, "approle"); n != 2 {
			t.Errorf("%d logins, want 2: the expired token cannot be renewed", n)
		}
		a.stop(t)
		if !strings.Contains(a.Log.String(), "Vault login: refresh failed") {
			t.Errorf("the agent does not say the renewal failed:\n%s", a.Log)
		}
	})
}

// A token revoked behind the agent's back: the batch that finds it is
// still answered right (the agent fails it, the exec side resolves it
// cold), and the next batch is answered by the agent again, with a new
// login.
func TestAgentTokenRevokedBehindItsBack(t *testing.T) {
	s := server.Start(t)
	want := agentSecrets(t, s, 2)
	p := appRole(t, s, "agent-revoked", map[string]any{"token_ttl": "10m"})
	a := startVaultAgent(t, p)
	a.batch(t, p, want, true)
	tokens := roleTokens(t, s, "agent-revoked")
	if len(tokens) != 1 {
		t.Fatalf("%d live tokens of the role, want the agent's 1", len(tokens))
	}
	if err := s.Client.Auth().Token().RevokeAccessor(tokens[0].accessor); err != nil {
		t.Fatal(err)
	}
	stderr := a.batch(t, p, want, false)
	if !strings.Contains(stderr, "resolving cold") || !strings.Contains(stderr, "Vault refused the token") {
		t.Errorf("the exec side does not say the agent failed on the refused token:\n%s", stderr)
	}
	// The cold run logged in too, and left its token to its TTL, as
	// every exec run does.
	cold := roleTokens(t, s, "agent-revoked")
	a.batch(t, p, want, true)
	if n := len(roleTokens(t, s, "agent-revoked")); n != len(cold)+1 {
		t.Errorf("%d live tokens of the role, want the cold run's %d and the agent's new one", n, len(cold))
	}
	a.stop(t)
	if n := strings.Count(a.Log.String(), "logged in at auth/approle"); n != 2 {
		t.Errorf("the agent logged in %d times, want 2 (before and after the revocation):\n%s", n, a.Log)
	}
	if after := roleTokens(t, s, "agent-revoked"); !slices.Equal(accessors(after), accessors(cold)) {
		t.Errorf("after the agent stopped, tokens %v live; want only the cold run's %v", accessors(after), accessors(cold))
	}
}

// A token file's token is the user's: the agent reads the file for every
// batch (Vault Agent may rotate it), and never revokes the token, not even
// when it stops.
func TestAgentTokenFileReadEveryBatch(t *testing.T) {
	s := server.Start(t)
	want := agentSecrets(t, s, 2)
	first := s.Token(t, server.TokenOptions{Policies: []string{server.PolicyKVReader}, TTL: "10m"})
	file := secretFile(t, "vault-token", first+"\n", 0o600)
	p := provider(s.Addr, map[string]string{"VAULT_TOKEN_FILE": file})
	a := startVaultAgent(t, p)
	a.batch(t, p, want, true)

	// Rotated, and the old token revoked: the next batch reads the new one.
	second := s.Token(t, server.TokenOptions{Policies: []string{server.PolicyKVReader}, TTL: "10m"})
	credentialFiles = append(credentialFiles, second)
	if err := os.WriteFile(file, []byte(second+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Client.Auth().Token().RevokeTree(first); err != nil {
		t.Fatal(err)
	}
	mark := s.Audit.Mark()
	a.batch(t, p, want, true)
	a.batch(t, p, want, true)
	a.stop(t)
	if n := auditCount(t, s, mark, "auth/token/revoke-self"); n != 0 {
		t.Errorf("%d revoke-self requests: the user's token must never be revoked", n)
	}
	if _, err := lookupToken(s, second); err != nil {
		t.Errorf("the user's token after the agent stopped: %v", err)
	}
}

// lookupToken looks a token up as root.
func lookupToken(s *server.Server, token string) (*api.Secret, error) {
	return s.Client.Auth().Token().Lookup(token)
}
