package vaulttest_test

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/vault/vaulttest/server"
	"github.com/execref/execref/sdk"
)

// Every fixture value in one batch: KV v1 and v2, a multi-segment mount,
// pinned versions, a secret's only field, the bundled PATH/FIELD syntax,
// unicode, newlines and a 2 KiB PEM, byte-exact.
func TestValues(t *testing.T) {
	s := server.Start(t)
	p := tokenProvider(s.Addr, s.RootToken)
	res := ok(t, p, ids(server.Values)...)
	expectValues(t, res, server.Values)
}

// Per-id failures never fail the batch: exit 0, every other id resolved.
func TestPerIDErrors(t *testing.T) {
	s := server.Start(t)
	p := tokenProvider(s.Addr, s.RootToken)
	var all []string
	for _, group := range [][]string{server.NotFound, server.Deleted, server.Destroyed, server.InvalidValue, server.InvalidID} {
		all = append(all, group...)
	}
	all = append(all, "kv2/app/openai#apiKey", "kv1/db#password")
	res := ok(t, p, all...)
	expectValues(t, res, map[string]string{"kv2/app/openai#apiKey": server.OpenAIKey, "kv1/db#password": server.KV1Password})
	for _, id := range server.NotFound {
		expectCode(t, res, id, protocol.NotFound)
	}
	for _, id := range server.Deleted {
		expectCode(t, res, id, protocol.NotFound, "deleted")
	}
	for _, id := range server.Destroyed {
		expectCode(t, res, id, protocol.NotFound, "destroyed")
	}
	for _, id := range server.InvalidValue {
		expectCode(t, res, id, protocol.InvalidValue)
	}
	for _, id := range server.InvalidID {
		expectCode(t, res, id, protocol.InvalidID)
	}
	noSecrets(t, "messages", messages(res), p)
}

// Every fixture id alone, as the gateway asks once a batch failed (it
// narrows a failed batch down to single ids): exit 0 and the id's own
// value or code, never a provider failure. And a batch in which nothing
// exists is still an answer.
func TestSingleIDs(t *testing.T) {
	s := server.Start(t)
	p := tokenProvider(s.Addr, s.RootToken)
	want := map[string]protocol.Code{}
	for code, group := range map[protocol.Code][][]string{
		protocol.NotFound:     {server.NotFound, server.Deleted, server.Destroyed},
		protocol.InvalidValue: {server.InvalidValue},
		protocol.InvalidID:    {server.InvalidID},
	} {
		for _, g := range group {
			for _, id := range g {
				want[id] = code
			}
		}
	}
	for _, id := range ids(server.Values) {
		want[id] = ""
	}
	for _, id := range slices.Sorted(maps.Keys(want)) {
		o := exec(t, p, id)
		if o.run.ExitCode != 0 {
			t.Errorf("%s alone: exit %d, want 0 and %s: %s", id, o.run.ExitCode, or(want[id], "its value"), lastLine(o.run.Stderr))
			continue
		}
		if want[id] == "" {
			expectValues(t, o.resp, map[string]string{id: server.Values[id]})
		} else {
			expectCode(t, o.resp, id, want[id])
		}
	}

	// Only secrets that do not exist (no field of an existing one).
	missing := []string{"kv2/app/missing#apiKey", "kv1/missing#x", "nomount/x#y", "team/apps/missing#token",
		"providers/missing/apiKey", "kv2/app/openai:v9#apiKey"}
	missing = append(append(missing, server.Deleted...), server.Destroyed...)
	o := exec(t, p, missing...)
	if o.run.ExitCode != 0 {
		t.Fatalf("%d missing ids together: exit %d, want 0: %s", len(missing), o.run.ExitCode, lastLine(o.run.Stderr))
	}
	for _, id := range missing {
		expectCode(t, o.resp, id, protocol.NotFound)
	}
}

func or(c protocol.Code, s string) string {
	if c == "" {
		return s
	}
	return string(c)
}

// --json: a non-string field, and a whole secret asked without a field,
// as JSON text; empty strings stay INVALID_VALUE.
func TestJSON(t *testing.T) {
	s := server.Start(t)
	p := tokenProvider(s.Addr, s.RootToken, "--json")
	res := ok(t, p, "kv2/app/openai#object", "kv2/app/openai#number", "kv2/app/openai#list",
		"kv2/app/openai#", "kv2/app/single#", "kv2/app/openai#empty", "kv1/db#port", "kv2/app/openai#apiKey")
	expectValues(t, res, map[string]string{
		"kv2/app/openai#object": server.Object, "kv2/app/openai#number": "42", "kv2/app/openai#list": `["a","b"]`,
		"kv2/app/single#": server.SingleToken, "kv1/db#port": "5432", "kv2/app/openai#apiKey": server.OpenAIKey,
	})
	expectCode(t, res, "kv2/app/openai#empty", protocol.InvalidValue)
	var whole map[string]any
	v, _ := res["kv2/app/openai#"].Value.(string)
	if err := json.Unmarshal([]byte(v), &whole); err != nil || whole["apiKey"] != server.OpenAIKey || whole["pem"] != server.PEM || len(whole) != 10 {
		t.Errorf("kv2/app/openai# with --json: %v, %d fields", err, len(whole))
	}
}

// The bundled syntax PATH/FIELD under --mount. It has no version syntax,
// as in the gateway's bundled resolver: app/openai:v1/apiKey is the secret
// named "app/openai:v1", absent here, never version 1 of app/openai (the
// explicit form pins that).
func TestBundledSyntax(t *testing.T) {
	s := server.Start(t)
	res := ok(t, tokenProvider(s.Addr, s.RootToken, "--mount", "kv2"), "app/openai/apiKey", "app/openai:v1/apiKey", "app/deep/nested/path/key", "app/missing/x",
		"kv2/app/openai:v1#apiKey")
	expectValues(t, res, map[string]string{"app/openai/apiKey": server.OpenAIKey, "app/deep/nested/path/key": server.DeepValue, "kv2/app/openai:v1#apiKey": server.OpenAIKeyV1})
	expectCode(t, res, "app/missing/x", protocol.NotFound)
	expectCode(t, res, "app/openai:v1/apiKey", protocol.NotFound)

	res = ok(t, tokenProvider(s.Addr, s.RootToken, "--mount", "team/apps"), "web/token")
	expectValues(t, res, map[string]string{"web/token": server.TeamToken})
}

// The mount and KV version of every mount are looked up once per batch
// (sys/internal/ui/mounts), and every distinct (path, version) is read
// exactly once, however many of its fields are asked: counted in Vault's
// own audit log.
func TestReadsOncePerSecret(t *testing.T) {
	s := server.Start(t)
	p := tokenProvider(s.Addr, s.RootToken)
	fields := []string{"apiKey", "org", "unicode", "multiline", "pem", "number", "object", "list", "empty", "missing"}
	var batch []string
	for _, f := range fields {
		batch = append(batch, "kv2/app/openai#"+f)
	}
	batch = append(batch, "kv2/app/openai:v1#apiKey", "kv2/app/openai:v1#nothing", "kv2/app/single#",
		"team/apps/web#token", "team/apps/web#x", "kv1/db#password", "kv1/db#port", "kv1/db#empty")

	mark := s.Audit.Mark()
	res := ok(t, p, batch...)
	expectValues(t, res, map[string]string{"kv2/app/openai#apiKey": server.OpenAIKey, "kv2/app/openai:v1#apiKey": server.OpenAIKeyV1,
		"team/apps/web#token": server.TeamToken, "kv1/db#password": server.KV1Password})

	reads := auditReads(t, s, mark, "")
	var latest, pinned, lookups []string
	for key, n := range reads {
		switch {
		case key == "read kv2/data/app/openai":
			latest = append(latest, key)
			if n != 1 {
				t.Errorf("%d reads of kv2/app/openai (10 fields), want 1", n)
			}
		case strings.HasPrefix(key, "read kv2/data/app/openai {version:"):
			pinned = append(pinned, key)
			if n != 1 {
				t.Errorf("%d reads of kv2/app/openai version 1, want 1", n)
			}
		case strings.HasPrefix(key, "read sys/internal/ui/mounts/"):
			for range n {
				lookups = append(lookups, key)
			}
		case key == "read kv2/data/app/single", key == "read team/apps/data/web", key == "read kv1/db":
			if n != 1 {
				t.Errorf("%s: %d times, want 1", key, n)
			}
		default:
			t.Errorf("unexpected request %q (%d)", key, n)
		}
	}
	if len(latest) != 1 || len(pinned) != 1 {
		t.Errorf("reads of kv2/app/openai: latest %v, pinned %v", latest, pinned)
	}
	// One lookup per mount: kv2/, team/apps/, kv1/.
	mountsSeen := map[string]int{}
	for _, key := range lookups {
		path := strings.TrimPrefix(key, "read sys/internal/ui/mounts/")
		for _, m := range []string{"kv2/", "team/apps/", "kv1/"} {
			if strings.HasPrefix(path+"/", m) {
				mountsSeen[m]++
			}
		}
	}
	if len(lookups) != 3 || len(mountsSeen) != 3 {
		t.Errorf("mount lookups %v, want one for each of kv2/, team/apps/, kv1/", lookups)
	}
	t.Logf("audited requests: %v", reads)
}

// 512 ids over 64 paths: all correct, 64 reads, one mount lookup.
func TestManyIDs(t *testing.T) {
	s := server.Start(t)
	batch, want := server.BenchIDs(512, 64)
	mark := s.Audit.Mark()
	res := ok(t, tokenProvider(s.Addr, s.RootToken), batch...)
	expectValues(t, res, want)
	reads := auditReads(t, s, mark, "")
	lookups, data := 0, 0
	for key, n := range reads {
		switch {
		case strings.HasPrefix(key, "read sys/internal/ui/mounts/bench/"):
			lookups += n
		case strings.HasPrefix(key, "read bench/data/p"):
			data++
			if n != 1 {
				t.Errorf("%s: %d reads, want 1", key, n)
			}
		default:
			t.Errorf("unexpected request %q", key)
		}
	}
	if lookups != 1 || data != 64 {
		t.Errorf("%d mount lookups (want 1), %d paths read (want 64)", lookups, data)
	}
}

// Token auth: VAULT_TOKEN; a token file by VAULT_TOKEN_FILE or
// --token-file; ~/.vault-token only when HOME is passed; no token at all,
// or a token file others can read, is a configuration error.
func TestAuthToken(t *testing.T) {
	s := server.Start(t)
	want := map[string]string{"kv2/app/single#token": server.SingleToken}
	id := "kv2/app/single#token"

	expectValues(t, ok(t, tokenProvider(s.Addr, s.RootToken), id), want)

	file := secretFile(t, "token", s.RootToken+"\n", 0o600)
	expectValues(t, ok(t, provider(s.Addr, map[string]string{"VAULT_TOKEN_FILE": file}), id), want)
	expectValues(t, ok(t, provider(s.Addr, nil, "--token-file", file), id), want)

	home := t.TempDir()
	if err := os.WriteFile(filepath.Join(home, ".vault-token"), []byte(s.RootToken), 0o600); err != nil {
		t.Fatal(err)
	}
	expectValues(t, ok(t, provider(s.Addr, map[string]string{"HOME": home}), id), want)

	// VAULT_TOKEN wins over a token file (docs/resolvers/vault.md: the
	// file is used when VAULT_TOKEN is unset).
	badFile := secretFile(t, "bad-token", "hvs.CAESIWrongTokenInAFile", 0o600)
	expectValues(t, ok(t, provider(s.Addr, map[string]string{"VAULT_TOKEN": s.RootToken, "VAULT_TOKEN_FILE": badFile}), id), want)
	fails(t, provider(s.Addr, map[string]string{"VAULT_TOKEN": "hvs.CAESIWrongTokenInTheEnv", "VAULT_TOKEN_FILE": file}), sdk.ExitNoPerm, "", id)

	// No token: exit 78, one line.
	quiet(t, provider(s.Addr, nil), sdk.ExitConfig, id)
	fails(t, provider(s.Addr, nil), sdk.ExitConfig, "VAULT_TOKEN", id)

	// A token file readable by others, or missing: exit 78.
	open := secretFile(t, "open-token", s.RootToken, 0o644)
	fails(t, provider(s.Addr, map[string]string{"VAULT_TOKEN_FILE": open}), sdk.ExitConfig, "", id)
	fails(t, provider(s.Addr, nil, "--token-file", filepath.Join(t.TempDir(), "missing")), sdk.ExitConfig, "", id)
	// A symlink to a good token file.
	link := filepath.Join(t.TempDir(), "token-link")
	if err := os.Symlink(file, link); err != nil {
		t.Fatal(err)
	}
	fails(t, provider(s.Addr, nil, "--token-file", link), sdk.ExitConfig, "", id)
	// An empty token file.
	empty := secretFile(t, "empty-token", "\n", 0o600)
	fails(t, provider(s.Addr, nil, "--token-file", empty), sdk.ExitConfig, "", id)
	// A token file of another owner (as root, the tests can make one).
	theirs := secretFile(t, "their-token", s.RootToken, 0o600)
	if err := os.Chown(theirs, 12345, -1); err == nil {
		fails(t, provider(s.Addr, nil, "--token-file", theirs), sdk.ExitConfig, "", id)
	}

	// No address at all: exit 78.
	fails(t, provider("", map[string]string{"VAULT_TOKEN": s.RootToken}), sdk.ExitConfig, "VAULT_ADDR", id)
	// --address wins over VAULT_ADDR.
	p := tokenProvider(server.FreeAddr(t), s.RootToken, "--address", s.Addr)
	expectValues(t, ok(t, p, id), want)
}

// An invalid, expired or used-up token: exit 77 (UNAUTHENTICATED), one
// stderr line, nothing on stdout.
func TestInvalidToken(t *testing.T) {
	s := server.Start(t)
	ids := []string{"kv2/app/single#token", "kv1/db#password"}
	msg := quiet(t, tokenProvider(s.Addr, "hvs.CAESIInvalidTokenForExecrefTests"), sdk.ExitNoPerm, ids...)
	t.Logf("invalid token: %s", msg)
	fails(t, tokenProvider(s.Addr, "hvs.CAESIInvalidTokenForExecrefTests"), sdk.ExitNoPerm, "", ids...)

	expiring := s.Token(t, server.TokenOptions{Policies: []string{server.PolicyKVReader}, TTL: "1s"})
	time.Sleep(2500 * time.Millisecond)
	fails(t, tokenProvider(s.Addr, expiring), sdk.ExitNoPerm, "", ids...)

	// Also in the fallback, where the mount lookup was not the first
	// request to fail.
	fails(t, tokenProvider(s.Addr, "hvs.CAESIInvalidTokenForExecrefTests", "--kv-version", "2"), sdk.ExitNoPerm, "", ids...)
}

// A use-limited token: the batch costs one use per secret read (the mount
// lookups are free: sys/internal/ui/mounts is an unauthenticated
// endpoint), so a token with exactly that many uses resolves the batch;
// the next batch finds it revoked: exit 77.
func TestUseLimitedToken(t *testing.T) {
	s := server.Start(t)
	batch := []string{"kv2/app/openai#apiKey", "kv2/app/openai#org", "kv2/app/single#token", "kv1/db#password"} // 3 secrets
	token := s.Token(t, server.TokenOptions{Policies: []string{server.PolicyKVReader}, NumUses: 3})
	res := ok(t, tokenProvider(s.Addr, token), batch...)
	expectValues(t, res, map[string]string{"kv2/app/openai#apiKey": server.OpenAIKey, "kv2/app/openai#org": server.OpenAIOrg,
		"kv2/app/single#token": server.SingleToken, "kv1/db#password": server.KV1Password})
	fails(t, tokenProvider(s.Addr, token), sdk.ExitNoPerm, "", batch...)
}

// A token whose policy allows only kv2/data/app/*: other paths are
// PERMISSION_DENIED for their ids only. For kv1/ it has no capability at
// all, so Vault refuses even the mount lookup (403, as for a path under
// no mount): the resolver falls back to KV v2 at the first segment, and
// the read is denied too.
func TestPermissionDenied(t *testing.T) {
	s := server.Start(t)
	limited := s.Token(t, server.TokenOptions{Policies: []string{server.PolicyReadOnlyApp}})
	res := ok(t, tokenProvider(s.Addr, limited), "kv2/app/openai#apiKey", "kv2/app/openai:v1#apiKey", "kv2/other/secret#password",
		"kv1/db#password", "team/apps/web#token", "providers/openai/apiKey")
	expectValues(t, res, map[string]string{"kv2/app/openai#apiKey": server.OpenAIKey, "kv2/app/openai:v1#apiKey": server.OpenAIKeyV1})
	for _, id := range []string{"kv2/other/secret#password", "kv1/db#password", "team/apps/web#token", "providers/openai/apiKey"} {
		expectCode(t, res, id, protocol.PermissionDenied)
	}
	// With the version given, the same.
	res = ok(t, tokenProvider(s.Addr, limited, "--kv-version", "1"), "kv1/db#password")
	expectCode(t, res, "kv1/db#password", protocol.PermissionDenied)
}

// Every outcome of the fixtures with --verbose: nothing of any value on
// stderr or in any message (exec checks stderr of every run).
func TestNoValueOnStderr(t *testing.T) {
	s := server.Start(t)
	var all []string
	all = append(all, ids(server.Values)...)
	for _, group := range [][]string{server.NotFound, server.Deleted, server.Destroyed, server.InvalidValue, server.InvalidID} {
		all = append(all, group...)
	}
	for _, args := range [][]string{nil, {"--json"}, {"--kv-version", "2"}, {"--kv-version", "1"}, {"--mount", "kv2"}} {
		p := tokenProvider(s.Addr, s.RootToken, args...)
		o := exec(t, p, all...)
		if o.run.ExitCode != 0 {
			t.Fatalf("%v: exit %d: %s", args, o.run.ExitCode, o.run.Stderr)
		}
		noSecrets(t, "messages", messages(o.resp), p)
		if len(o.run.Stderr) == 0 {
			t.Errorf("%v: --verbose printed nothing", args)
		}
	}
	// The AppRole secret id, and the token login gives, neither.
	p := provider(s.Addr, map[string]string{"VAULT_ROLE_ID": s.AppRole.RoleID, "VAULT_SECRET_ID": s.AppRole.SecretID}, "--auth", "approle")
	o := exec(t, p, all...)
	if o.run.ExitCode != 0 || strings.Contains(string(o.run.Stderr), "hvs.") {
		t.Errorf("approle: exit %d, stderr %s", o.run.ExitCode, o.run.Stderr)
	}
}

// The deleted and destroyed versions, one at a time, and a version that
// never existed.
func TestVersions(t *testing.T) {
	s := server.Start(t)
	p := tokenProvider(s.Addr, s.RootToken)
	res := ok(t, p, "kv2/app/rotated#token", "kv2/app/rotated:v1#token", "kv2/app/rotated:v2#token", "kv2/app/rotated:v3#token", "kv2/app/rotated:v4#token")
	expectValues(t, res, map[string]string{"kv2/app/rotated:v2#token": server.RotatedV2})
	expectCode(t, res, "kv2/app/rotated#token", protocol.NotFound, "deleted")
	expectCode(t, res, "kv2/app/rotated:v3#token", protocol.NotFound, "deleted")
	expectCode(t, res, "kv2/app/rotated:v1#token", protocol.NotFound, "destroyed")
	expectCode(t, res, "kv2/app/rotated:v4#token", protocol.NotFound)
	for _, id := range []string{"kv2/app/rotated:v4#token"} {
		if m := res[id].Err.Error(); strings.Contains(m, "deleted") || strings.Contains(m, "destroyed") {
			t.Errorf("%s: %q: a version that never existed was neither deleted nor destroyed", id, m)
		}
	}

	// --kv-version 2 and 1 against mounts of those versions.
	res = ok(t, tokenProvider(s.Addr, s.RootToken, "--kv-version", "2"), "kv2/app/openai:v1#apiKey", "kv2/app/openai#apiKey")
	expectValues(t, res, map[string]string{"kv2/app/openai:v1#apiKey": server.OpenAIKeyV1, "kv2/app/openai#apiKey": server.OpenAIKey})
	res = ok(t, tokenProvider(s.Addr, s.RootToken, "--kv-version", "1"), "kv1/db#password", "secret/providers/openai#apiKey", "kv1/db:v1#password")
	expectValues(t, res, map[string]string{"kv1/db#password": server.KV1Password, "secret/providers/openai#apiKey": server.SecretAPI})
	expectCode(t, res, "kv1/db:v1#password", protocol.InvalidID)
	// A bad --kv-version is a usage or configuration error.
	o := exec(t, tokenProvider(s.Addr, s.RootToken, "--kv-version", "3"), "kv1/db#password")
	if st := o.run.ExitCode; st != sdk.ExitConfig && st != sdk.ExitUsage {
		t.Errorf("--kv-version 3: exit %d", st)
	}
}

// The resolver's own tests of ids are the other engineer's; here only that
// the ids of the fixtures are what the gateway accepts.
func TestFixtureIDsFitGrammar(t *testing.T) {
	all := slices.Collect(maps.Keys(server.Values))
	for _, g := range [][]string{server.NotFound, server.Deleted, server.Destroyed, server.InvalidValue, server.InvalidID} {
		all = append(all, g...)
	}
	for _, id := range all {
		if err := protocol.ValidateID(id); err != nil {
			t.Errorf("%s: %v", id, err)
		}
	}
}
