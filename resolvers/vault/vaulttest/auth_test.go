package vaulttest_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/resolvers/vault/vaulttest/server"
	"github.com/execref/execref/sdk"
)

// authIDs are read with the kv-reader policy every login grants.
var authIDs = map[string]string{
	"kv2/app/openai#apiKey": server.OpenAIKey, "kv1/db#password": server.KV1Password,
	"team/apps/web#token": server.TeamToken, "providers/openai/apiKey": server.SecretAPI,
}

// loginCount is how many logins at auth/MOUNT/login Vault audited after
// mark.
func loginCount(t *testing.T, s *server.Server, mark server.Mark, mount string) int {
	t.Helper()
	entries, err := s.Audit.Since(mark)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range server.Requests(entries, "auth/"+mount+"/login") {
		if e.Request.Operation == "update" {
			n++
		}
	}
	return n
}

// AppRole: role id and secret id from the environment, from flags and
// files, from VAULT_SECRET_ID_FILE; one login per batch; a wrong secret id
// is exit 77; a missing one, or a secret-id file others can read, 78.
func TestAuthAppRole(t *testing.T) {
	s := server.Start(t)
	a := s.AppRole
	ids := ids(authIDs)

	mark := s.Audit.Mark()
	p := provider(s.Addr, map[string]string{"VAULT_ROLE_ID": a.RoleID, "VAULT_SECRET_ID": a.SecretID}, "--auth", "approle")
	expectValues(t, ok(t, p, ids...), authIDs)
	if logins := loginCount(t, s, mark, "approle"); logins != 1 {
		t.Errorf("%d AppRole logins for one batch, want 1", logins)
	}

	secretIDFile := secretFile(t, "secret-id", a.SecretID+"\n", 0o600)
	roleIDFile := secretFile(t, "role-id", a.RoleID+"\n", 0o600)
	variants := map[string]struct {
		env  map[string]string
		args []string
	}{
		"flags":                {nil, []string{"--role-id", a.RoleID, "--secret-id-file", secretIDFile}},
		"role-id-file":         {map[string]string{"VAULT_SECRET_ID": a.SecretID}, []string{"--role-id-file", roleIDFile}},
		"VAULT_SECRET_ID_FILE": {map[string]string{"VAULT_ROLE_ID": a.RoleID, "VAULT_SECRET_ID_FILE": secretIDFile}, nil},
		"auth-mount":           {map[string]string{"VAULT_ROLE_ID": a.RoleID, "VAULT_SECRET_ID": a.SecretID}, []string{"--auth-mount", "approle/"}},
		"flag wins":            {map[string]string{"VAULT_ROLE_ID": "not-the-role-id", "VAULT_SECRET_ID": a.SecretID}, []string{"--role-id", a.RoleID}},
	}
	for name, v := range variants {
		t.Run(name, func(t *testing.T) {
			p := provider(s.Addr, v.env, append([]string{"--auth", "approle"}, v.args...)...)
			expectValues(t, ok(t, p, ids...), authIDs)
		})
	}

	t.Run("failures", func(t *testing.T) {
		// A secret id Vault does not know: the login fails, exit 77.
		p := provider(s.Addr, map[string]string{"VAULT_ROLE_ID": a.RoleID, "VAULT_SECRET_ID": "00000000-0000-0000-0000-000000000000"}, "--auth", "approle")
		quiet(t, p, sdk.ExitNoPerm, ids...)
		// A role id Vault does not know.
		p = provider(s.Addr, map[string]string{"VAULT_ROLE_ID": "no-such-role", "VAULT_SECRET_ID": a.SecretID}, "--auth", "approle")
		fails(t, p, sdk.ExitNoPerm, "", ids...)
		// An auth mount that does not exist: the login is refused.
		p = provider(s.Addr, map[string]string{"VAULT_ROLE_ID": a.RoleID, "VAULT_SECRET_ID": a.SecretID}, "--auth", "approle", "--auth-mount", "elsewhere")
		fails(t, p, sdk.ExitNoPerm, "", ids...)
		// No secret id, no role id: configuration, exit 78.
		fails(t, provider(s.Addr, map[string]string{"VAULT_ROLE_ID": a.RoleID}, "--auth", "approle"), sdk.ExitConfig, "secret id", ids...)
		fails(t, provider(s.Addr, map[string]string{"VAULT_SECRET_ID": a.SecretID}, "--auth", "approle"), sdk.ExitConfig, "role id", ids...)
		// A secret-id file others can read: 78, and it is not even read.
		open := secretFile(t, "open-secret-id", a.SecretID, 0o640)
		fails(t, provider(s.Addr, map[string]string{"VAULT_ROLE_ID": a.RoleID}, "--auth", "approle", "--secret-id-file", open), sdk.ExitConfig, "", ids...)
		fails(t, provider(s.Addr, map[string]string{"VAULT_ROLE_ID": a.RoleID, "VAULT_SECRET_ID_FILE": filepath.Join(t.TempDir(), "none")}, "--auth", "approle"), sdk.ExitConfig, "", ids...)
		// An unknown method.
		o := exec(t, provider(s.Addr, nil, "--auth", "ldap"), ids...)
		if st := o.run.ExitCode; st != sdk.ExitConfig && st != sdk.ExitUsage {
			t.Errorf("--auth ldap: exit %d", st)
		}
	})
}

// JWT auth, against Vault's JWT plugin with a static ES256 key: the JWT
// from --jwt-file; an expired JWT is refused (77); no --role is a
// configuration error (78), and so is a JWT file others can read.
func TestAuthJWT(t *testing.T) {
	s := server.Start(t)
	ids := ids(authIDs)
	jwt := secretFile(t, "jwt", s.JWTToken(t, "gateway", 5*time.Minute)+"\n", 0o600)
	mark := s.Audit.Mark()
	expectValues(t, ok(t, provider(s.Addr, nil, "--auth", "jwt", "--role", "openclaw", "--jwt-file", jwt), ids...), authIDs)
	if n := loginCount(t, s, mark, "jwt"); n != 1 {
		t.Errorf("%d JWT logins, want 1", n)
	}

	expired := secretFile(t, "expired-jwt", s.JWTToken(t, "gateway", -time.Minute), 0o600)
	quiet(t, provider(s.Addr, nil, "--auth", "jwt", "--role", "openclaw", "--jwt-file", expired), sdk.ExitNoPerm, ids...)
	fails(t, provider(s.Addr, nil, "--auth", "jwt", "--role", "no-such-role", "--jwt-file", jwt), sdk.ExitNoPerm, "", ids...)
	fails(t, provider(s.Addr, nil, "--auth", "jwt", "--jwt-file", jwt), sdk.ExitConfig, "role", ids...)
	open := secretFile(t, "open-jwt", s.JWTToken(t, "gateway", 5*time.Minute), 0o644)
	fails(t, provider(s.Addr, nil, "--auth", "jwt", "--role", "openclaw", "--jwt-file", open), sdk.ExitConfig, "", ids...)
	fails(t, provider(s.Addr, nil, "--auth", "jwt", "--role", "openclaw"), sdk.ExitConfig, "", ids...)
}

// Kubernetes auth, against Vault's Kubernetes plugin and a fake
// Kubernetes API answering TokenReviews: the service account JWT from
// --jwt-file; a service account the role does not bind is refused (77);
// without --jwt-file the pod's token path, absent here, is a configuration
// error (78).
func TestAuthKubernetes(t *testing.T) {
	s := server.Start(t)
	k := s.Kubernetes
	ids := ids(authIDs)
	jwt := secretFile(t, "sa-token", s.KubernetesToken(t, k.Namespace, k.ServiceAccount), 0o600)
	reviews := k.Reviews.Load()
	expectValues(t, ok(t, provider(s.Addr, nil, "--auth", "kubernetes", "--role", "openclaw", "--jwt-file", jwt), ids...), authIDs)
	if n := k.Reviews.Load() - reviews; n != 1 {
		t.Errorf("%d TokenReviews, want 1", n)
	}
	other := secretFile(t, "other-sa-token", s.KubernetesToken(t, "other-ns", k.ServiceAccount), 0o600)
	quiet(t, provider(s.Addr, nil, "--auth", "kubernetes", "--role", "openclaw", "--jwt-file", other), sdk.ExitNoPerm, ids...)
	fails(t, provider(s.Addr, nil, "--auth", "kubernetes", "--role", "openclaw"), sdk.ExitConfig, "", ids...)
	fails(t, provider(s.Addr, nil, "--auth", "kubernetes", "--jwt-file", jwt), sdk.ExitConfig, "role", ids...)
	// A custom mount path.
	fails(t, provider(s.Addr, nil, "--auth", "kubernetes", "--auth-mount", "k8s-elsewhere", "--role", "openclaw", "--jwt-file", jwt), sdk.ExitNoPerm, "", ids...)
}

// A login that works but whose token cannot read: per-id
// PERMISSION_DENIED, not a provider failure.
func TestAuthPolicyStillApplies(t *testing.T) {
	s := server.Start(t)
	a := s.AppRole
	p := provider(s.Addr, map[string]string{"VAULT_ROLE_ID": a.RoleID, "VAULT_SECRET_ID": a.SecretID}, "--auth", "approle")
	res := ok(t, p, "kv2/app/single#token", "nomount/secret#x")
	expectValues(t, res, map[string]string{"kv2/app/single#token": server.SingleToken})
	if c := codeOf(res["nomount/secret#x"]); c == "" || strings.HasPrefix(string(c), "HOST") {
		t.Errorf("nomount/secret#x: %v", res["nomount/secret#x"].Err)
	}
}
