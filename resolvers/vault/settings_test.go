package vault

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execref/execref/sdk"
)

// bundledVault is a fake with the same path in mounts secret/ and kv/
// (different values), both KV v2, and kvone/ KV v1.
func bundledVault(t *testing.T) *fakeVault {
	f := newFakeVault(t)
	f.mounts["secret/"] = fakeMount{"kv", "2"}
	f.mounts["kv/"] = fakeMount{"kv", "2"}
	f.mounts["kvone/"] = fakeMount{"kv", "1"}
	f.secrets["secret/data/providers/openai"] = kv2(1, map[string]any{"apiKey": "from secret/"})
	f.secrets["kv/data/providers/openai"] = kv2(1, map[string]any{"apiKey": "from kv/"})
	f.secrets["kvone/providers/openai"] = map[string]any{"apiKey": "from kvone/"}
	return f
}

// OPENCLAW_VAULT_KV_MOUNT is the mount of PATH/FIELD ids, read as the
// bundled resolver reads it (trimmed, slashes stripped, empty: secret);
// --mount wins.
func TestBundledKVMount(t *testing.T) {
	f := bundledVault(t)
	id := "providers/openai/apiKey"
	for value, want := range map[string]string{"kv": "from kv/", " /kv/ ": "from kv/", "": "from secret/", " / ": "from secret/", "secret": "from secret/"} {
		o := f.run(t, map[string]string{"VAULT_TOKEN": f.token, envKVMount: value}, nil, id)
		expect(t, o, map[string]string{id: want}, nil)
	}
	o := f.run(t, map[string]string{"VAULT_TOKEN": f.token, envKVMount: "kv"}, []string{"--mount", "secret"}, id)
	expect(t, o, map[string]string{id: "from secret/"}, nil)
	o = f.run(t, map[string]string{"VAULT_TOKEN": f.token, envKVMount: "a//b"}, nil, id)
	expectConfigError(t, o, envKVMount)
}

// OPENCLAW_VAULT_KV_VERSION states the version of that mount (no lookup);
// a value but 1 or 2 fails the provider naming it; --kv-version wins.
func TestBundledKVVersion(t *testing.T) {
	f := bundledVault(t)
	id := "providers/openai/apiKey"
	o := f.run(t, map[string]string{"VAULT_TOKEN": f.token, envKVMount: "kvone", envKVVersion: "1"}, nil, id)
	expect(t, o, map[string]string{id: "from kvone/"}, nil)
	o = f.run(t, map[string]string{"VAULT_TOKEN": f.token, envKVMount: "kv", envKVVersion: " 2 "}, nil, id)
	expect(t, o, map[string]string{id: "from kv/"}, nil)
	for _, r := range f.requests() {
		if strings.Contains(r, "sys/internal/ui/mounts") {
			t.Errorf("%s with the version given", r)
		}
	}
	for _, bad := range []string{"3", "v2", "auto", "0"} {
		o = f.run(t, map[string]string{"VAULT_TOKEN": f.token, envKVVersion: bad}, nil, id)
		expectConfigError(t, o, envKVVersion)
	}
	// --kv-version wins, even auto, over a bad variable.
	o = f.run(t, map[string]string{"VAULT_TOKEN": f.token, envKVVersion: "3"}, []string{"--kv-version", "auto"}, id)
	expect(t, o, map[string]string{id: "from secret/"}, nil)
}

// OPENCLAW_VAULT_AUTH_METHOD=token_file: the token is VAULT_TOKEN_FILE's,
// even with VAULT_TOKEN set, as in the bundled resolver.
func TestBundledAuthTokenFile(t *testing.T) {
	f := bundledVault(t)
	id := "providers/openai/apiKey"
	file := privateFile(t, "token", "\ufeff "+f.token+"\n")
	env := map[string]string{envAuthMethod: "token_file", "VAULT_TOKEN_FILE": " " + file + " ", "VAULT_TOKEN": "hvs.some-other-token"}
	expect(t, f.run(t, env, nil, id), map[string]string{id: "from secret/"}, nil)

	// --auth token_file, the same from a flag.
	expect(t, f.run(t, map[string]string{"VAULT_TOKEN": "hvs.some-other-token"}, []string{"--auth", "token_file", "--token-file", file}, id),
		map[string]string{id: "from secret/"}, nil)

	delete(env, "VAULT_TOKEN_FILE")
	expectConfigError(t, f.run(t, env, nil, id), "VAULT_TOKEN_FILE")
	// ~ is expanded, as the bundled resolver's file reader does.
	home := t.TempDir()
	if err := os.WriteFile(filepath.Join(home, "vault-token"), []byte(f.token), 0o600); err != nil {
		t.Fatal(err)
	}
	env = map[string]string{envAuthMethod: "token_file", "VAULT_TOKEN_FILE": "~/vault-token", "HOME": home}
	expect(t, f.run(t, env, nil, id), map[string]string{id: "from secret/"}, nil)
}

// OPENCLAW_VAULT_AUTH_METHOD=token: VAULT_TOKEN (trimmed) and nothing else.
func TestBundledAuthToken(t *testing.T) {
	f := bundledVault(t)
	id := "providers/openai/apiKey"
	expect(t, f.run(t, map[string]string{envAuthMethod: "token", "VAULT_TOKEN": " " + f.token + "\n"}, nil, id), map[string]string{id: "from secret/"}, nil)
	file := privateFile(t, "token", f.token)
	expectConfigError(t, f.run(t, map[string]string{envAuthMethod: "token", "VAULT_TOKEN_FILE": file}, nil, id), "VAULT_TOKEN")
	expectConfigError(t, f.run(t, map[string]string{envAuthMethod: "token", "VAULT_TOKEN": f.token}, []string{"--token-file", file}, id), envAuthMethod)
	// Unset, the default: VAULT_TOKEN, else the token file.
	expect(t, f.run(t, map[string]string{"VAULT_TOKEN_FILE": file}, nil, id), map[string]string{id: "from secret/"}, nil)
}

// OPENCLAW_VAULT_AUTH_METHOD=jwt and kubernetes log in with the bundled
// variables: role, JWT file, auth mount (trimmed, slashes stripped,
// default the method's name), the kubernetes JWT file defaulting to the
// service account's.
func TestBundledAuthLogins(t *testing.T) {
	f := bundledVault(t)
	id := "providers/openai/apiKey"
	f.logins["jwt-ci"] = f.token
	f.logins["kubernetes"] = f.token
	jwt := privateFile(t, "jwt", "header.payload.signature\n")

	env := map[string]string{envAuthMethod: " jwt ", envAuthRole: " openclaw ", envJWTFile: jwt, envAuthMount: "/jwt-ci/"}
	expect(t, f.run(t, env, nil, id), map[string]string{id: "from secret/"}, nil)
	env = map[string]string{envAuthMethod: "kubernetes", envAuthRole: "openclaw", envJWTFile: jwt}
	expect(t, f.run(t, env, nil, id), map[string]string{id: "from secret/"}, nil)
	for _, r := range f.requests() {
		if strings.HasSuffix(r, "/login") && !strings.HasSuffix(r, " auth/jwt-ci/login") && !strings.HasSuffix(r, " auth/kubernetes/login") {
			t.Errorf("login at %s", r)
		}
	}
	for _, body := range f.got {
		if body["role"] != "openclaw" || body["jwt"] != "header.payload.signature" {
			t.Errorf("login body role %q, jwt of %d bytes", body["role"], len(body["jwt"]))
		}
	}

	// Flags win over the variables.
	f.logins["jwt"] = f.token
	env = map[string]string{envAuthMethod: "kubernetes", envAuthRole: "wrong", envJWTFile: "/nonexistent", envAuthMount: "nowhere"}
	expect(t, f.run(t, env, []string{"--auth", "jwt", "--role", "openclaw", "--jwt-file", jwt, "--auth-mount", "jwt"}, id), map[string]string{id: "from secret/"}, nil)
	expect(t, f.run(t, map[string]string{envAuthMethod: "jwt", "VAULT_TOKEN": f.token}, []string{"--auth", "token"}, id), map[string]string{id: "from secret/"}, nil)

	// Missing or invalid settings fail the provider, naming them.
	expectConfigError(t, f.run(t, map[string]string{envAuthMethod: "jwt", envJWTFile: jwt}, nil, id), envAuthRole)
	expectConfigError(t, f.run(t, map[string]string{envAuthMethod: "jwt", envAuthRole: "openclaw"}, nil, id), envJWTFile)
	expectConfigError(t, f.run(t, map[string]string{envAuthMethod: "approle", "VAULT_TOKEN": f.token}, nil, id), envAuthMethod)
	expectConfigError(t, f.run(t, map[string]string{envAuthMethod: "oidc", "VAULT_TOKEN": f.token}, nil, id), envAuthMethod)
	// kubernetes without a JWT file: the service account's, absent here.
	o := f.run(t, map[string]string{envAuthMethod: "kubernetes", envAuthRole: "openclaw"}, nil, id)
	expectConfigError(t, o, serviceAccountToken)
}

// VAULT_ADDR and VAULT_NAMESPACE are trimmed, as the bundled resolver
// trims them.
func TestBundledTrimsAddressAndNamespace(t *testing.T) {
	f := bundledVault(t)
	id := "providers/openai/apiKey"
	o := f.run(t, map[string]string{"VAULT_ADDR": " " + f.srv.URL + "/ \n", "VAULT_TOKEN": f.token, "VAULT_NAMESPACE": "  "}, nil, id)
	expect(t, o, map[string]string{id: "from secret/"}, nil)
}

// expectConfigError checks a whole-provider configuration failure (exit
// 78) whose message names what is at fault.
func expectConfigError(t *testing.T, o outcome, names string) {
	t.Helper()
	if o.status != sdk.ExitConfig || !strings.Contains(o.stderr, names) {
		t.Errorf("exit %d (want %d), stderr %q (want it to name %s)", o.status, sdk.ExitConfig, o.stderr, names)
	}
}
