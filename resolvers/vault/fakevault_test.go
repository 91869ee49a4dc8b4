package vault

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
)

// fakeVault answers the few endpoints the resolver uses, from tables, so
// that unit tests can give it answers a real Vault gives only in odd
// configurations (or never): a mount lookup naming another mount, a KV v2
// read of another version, a KV v1 secret where a KV v2 record should be.
// The real Vault is resolvers/vault/vaulttest's.
type fakeVault struct {
	// token is the only token Vault accepts; others are "invalid token".
	token string
	// mounts by path ("kv/"): type and options.version; the mount lookup
	// answers with the longest holding the path, else 403 as Vault does.
	mounts map[string]fakeMount
	// lookups overrides the mount lookup's data for a path.
	lookups map[string]map[string]any
	// secrets are read answers' "data" by API path (query included, as
	// "kv/data/app?version=1"); absent: 404.
	secrets map[string]any
	// logins are the tokens issued by auth/MOUNT/login, by MOUNT.
	logins map[string]string

	srv *httptest.Server
	mu  sync.Mutex
	log []string            // "GET kv/data/app?version=1", "POST auth/jwt/login"
	got []map[string]string // login bodies
}

type fakeMount struct {
	kind    string // kv, generic, transit, ...
	version string // options.version, "" for none
}

func newFakeVault(t *testing.T) *fakeVault {
	f := &fakeVault{token: "hvs.fake-root-token", mounts: map[string]fakeMount{}, lookups: map[string]map[string]any{},
		secrets: map[string]any{}, logins: map[string]string{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeVault) serve(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/v1/")
	key := path
	if r.URL.RawQuery != "" {
		key += "?" + r.URL.RawQuery
	}
	f.mu.Lock()
	f.log = append(f.log, r.Method+" "+key)
	f.mu.Unlock()
	reply := func(status int, body any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(body)
	}
	if (r.Method == http.MethodPost || r.Method == http.MethodPut) && strings.HasPrefix(path, "auth/") && strings.HasSuffix(path, "/login") {
		mount := strings.TrimSuffix(strings.TrimPrefix(path, "auth/"), "/login")
		var body map[string]string
		json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body)
		f.mu.Lock()
		f.got = append(f.got, body)
		f.mu.Unlock()
		if tok, ok := f.logins[mount]; ok {
			reply(200, map[string]any{"auth": map[string]any{"client_token": tok, "lease_duration": 60}})
			return
		}
		reply(400, map[string]any{"errors": []string{"invalid role or jwt"}})
		return
	}
	if lookup, ok := strings.CutPrefix(path, "sys/internal/ui/mounts/"); ok {
		if data, ok := f.lookups[lookup]; ok {
			reply(200, map[string]any{"data": data})
			return
		}
		best := ""
		for m := range f.mounts {
			if strings.HasPrefix(lookup+"/", m) && len(m) > len(best) {
				best = m
			}
		}
		if best == "" {
			reply(403, map[string]any{"errors": []string{"preflight capability check returned 403"}})
			return
		}
		m := f.mounts[best]
		data := map[string]any{"path": best, "type": m.kind}
		if m.version != "" {
			data["options"] = map[string]any{"version": m.version}
		}
		reply(200, map[string]any{"data": data})
		return
	}
	if r.Header.Get("X-Vault-Token") != f.token {
		reply(403, map[string]any{"errors": []string{"permission denied", "invalid token"}})
		return
	}
	if data, ok := f.secrets[key]; ok {
		reply(200, map[string]any{"data": data})
		return
	}
	reply(404, map[string]any{"errors": []string{}})
}

// requests returns what the fake was asked, in order.
func (f *fakeVault) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.log...)
}

// kv2 is a KV v2 read answer: the fields, and version's metadata.
func kv2(version int, fields map[string]any) map[string]any {
	return map[string]any{"data": fields, "metadata": map[string]any{
		"version": version, "created_time": "2026-01-01T00:00:00Z", "deletion_time": "", "destroyed": false,
	}}
}

// outcome is one run of the resolver in process through the SDK.
type outcome struct {
	status int
	values map[string]any
	errors map[string]protocol.Error
	stderr string
}

// code is id's error code, "" when it has a value.
func (o outcome) code(id string) protocol.Code { return o.errors[id].Code }

// run resolves ids with the resolver configured by args and env (the only
// environment it sees, VAULT_ADDR defaulting to f's address), through
// sdk.Serve as the binary would.
func (f *fakeVault) run(t *testing.T, env map[string]string, args []string, ids ...string) outcome {
	t.Helper()
	e := map[string]string{"VAULT_ADDR": f.srv.URL}
	for k, v := range env {
		e[k] = v
	}
	r := New()
	r.lookupEnv = func(k string) (string, bool) { v, ok := e[k]; return v, ok }
	req := protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: "vault", IDs: ids})
	var stdout, stderr bytes.Buffer
	status := sdk.Serve(sdk.Program{Name: "openclaw-vault-resolver", Backend: r}, append(args, "--verbose"), bytes.NewReader(req), &stdout, &stderr)
	o := outcome{status: status, stderr: stderr.String()}
	if status == sdk.ExitOK {
		var resp struct {
			Values map[string]any            `json:"values"`
			Errors map[string]protocol.Error `json:"errors"`
		}
		if err := json.Unmarshal(stdout.Bytes(), &resp); err != nil {
			t.Fatalf("response: %v", err)
		}
		o.values, o.errors = resp.Values, resp.Errors
	}
	return o
}

// tokenRun is run with f's token in VAULT_TOKEN.
func (f *fakeVault) tokenRun(t *testing.T, args []string, ids ...string) outcome {
	t.Helper()
	return f.run(t, map[string]string{"VAULT_TOKEN": f.token}, args, ids...)
}

// expect checks that each id got exactly its value ("") or its code.
func expect(t *testing.T, o outcome, want map[string]string, codes map[string]protocol.Code) {
	t.Helper()
	if o.status != sdk.ExitOK {
		t.Fatalf("exit %d: %s", o.status, o.stderr)
	}
	for id, v := range want {
		if got, ok := o.values[id]; !ok || got != v {
			t.Errorf("%s: value %q, error %+v; want %q", id, got, o.errors[id], v)
		}
	}
	for id, c := range codes {
		if _, has := o.values[id]; has || o.code(id) != c {
			t.Errorf("%s: value %q, error %+v; want %s and no value", id, o.values[id], o.errors[id], c)
		}
	}
}

// privateFile writes content to a 0600 file in a fresh directory.
func privateFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
