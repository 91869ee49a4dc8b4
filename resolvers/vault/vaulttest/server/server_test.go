package server

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/vault/api"
)

// The harness itself: Vault starts, the fixtures read back with the API
// client, the audit log counts requests, and the facts about the
// in-process Vault that the resolver tests rely on hold.
func TestHarness(t *testing.T) {
	s := Start(t)
	c := s.Client

	// Mounts: secret/ is KV v1 (TestCoreUnsealed mounts it), ours as set.
	mounts, err := c.Sys().ListMounts()
	if err != nil {
		t.Fatal(err)
	}
	for path, version := range map[string]string{"secret/": "1", "kv1/": "1", "kv2/": "2", "team/apps/": "2", "bench/": "2"} {
		m := mounts[path]
		if m == nil || m.Type != "kv" || m.Options["version"] != version {
			t.Errorf("mount %s: %+v, want kv version %s", path, m, version)
		}
	}

	// KV v2 data, pinned and deleted/destroyed versions.
	kv2 := c.KVv2("kv2")
	sec, err := kv2.Get(t.Context(), "app/openai")
	if err != nil || sec.Data["apiKey"] != OpenAIKey || sec.Data["pem"] != PEM || sec.Data["number"] == nil {
		t.Fatalf("kv2/app/openai: %v", err)
	}
	if sec, err := kv2.GetVersion(t.Context(), "app/openai", 1); err != nil || sec.Data["apiKey"] != OpenAIKeyV1 {
		t.Fatalf("kv2/app/openai v1: %v", err)
	}
	if sec, err := kv2.GetVersion(t.Context(), "app/rotated", 2); err != nil || sec.Data["token"] != RotatedV2 {
		t.Fatalf("kv2/app/rotated v2: %v", err)
	}
	meta, err := kv2.GetMetadata(t.Context(), "app/rotated")
	if err != nil {
		t.Fatal(err)
	}
	if v := meta.Versions["3"]; v.DeletionTime.IsZero() || v.Destroyed {
		t.Errorf("version 3 should be deleted, not destroyed: %+v", v)
	}
	if v := meta.Versions["1"]; !v.Destroyed {
		t.Errorf("version 1 should be destroyed: %+v", v)
	}
	// What a reader gets for them over the raw API: 404 with the version's
	// metadata.
	for _, version := range []string{"", "1", "3"} {
		path := "kv2/data/app/rotated"
		r, err := c.Logical().ReadWithData(path, map[string][]string{"version": {version}})
		t.Logf("read %s?version=%s: %v, %+v", path, version, err, r)
	}

	// KV v1 and the bundled-syntax secrets.
	if sec, err := c.KVv1("kv1").Get(t.Context(), "db"); err != nil || sec.Data["password"] != KV1Password {
		t.Fatalf("kv1/db: %v", err)
	}
	if sec, err := c.KVv2("team/apps").Get(t.Context(), "web"); err != nil || sec.Data["token"] != TeamToken {
		t.Fatalf("team/apps/web: %v", err)
	}

	// The mount lookup: sys/internal/ui/mounts/PATH finds the mount and
	// its version, for the root token and for a token with any capability
	// under the mount; it is 403 for a token with none, and for a path
	// under no mount.
	lookup := func(token, path string) (*api.Secret, error) {
		cl, err := NewClient(s.Addr, token)
		if err != nil {
			t.Fatal(err)
		}
		return cl.Logical().Read("sys/internal/ui/mounts/" + path)
	}
	r, err := lookup(s.RootToken, "team/apps/web")
	if err != nil || r.Data["path"] != "team/apps/" || r.Data["options"].(map[string]any)["version"] != "2" {
		t.Fatalf("lookup team/apps/web: %v %+v", err, r)
	}
	limited := s.Token(t, TokenOptions{Policies: []string{PolicyReadOnlyApp}})
	if r, err := lookup(limited, "kv2/app/openai"); err != nil || r.Data["path"] != "kv2/" {
		t.Fatalf("limited lookup kv2: %v %+v", err, r)
	}
	_, err = lookup(limited, "kv1/db")
	t.Logf("limited token, lookup of kv1/db: %v", err)
	if !isStatus(err, http.StatusForbidden) {
		t.Errorf("limited lookup kv1: %v, want 403", err)
	}
	if _, err := lookup(s.RootToken, "nomount/x"); !isStatus(err, http.StatusForbidden) {
		t.Errorf("lookup of no mount: %v, want 403", err)
	}

	// The limited token reads kv2/app/*, nothing else.
	lc, _ := NewClient(s.Addr, limited)
	if _, err := lc.KVv2("kv2").Get(t.Context(), "app/single"); err != nil {
		t.Fatal(err)
	}
	_, err = lc.KVv2("kv2").Get(t.Context(), "other/secret")
	if !isStatus(err, http.StatusForbidden) {
		t.Errorf("limited read of kv2/other: %v", err)
	}
	// An invalid token: its error shape.
	bad, _ := NewClient(s.Addr, "hvs.not-a-token")
	_, err = bad.Logical().Read("kv2/data/app/single")
	t.Logf("invalid token: %v", err)
	if !isStatus(err, http.StatusForbidden) {
		t.Errorf("invalid token: %v, want 403", err)
	}
	_, err = lookup("hvs.not-a-token", "kv2/app/single")
	t.Logf("invalid token, mount lookup: %v", err)

	// A use-limited token dies after its uses.
	once := s.Token(t, TokenOptions{Policies: []string{PolicyReadOnlyApp}, NumUses: 1})
	oc, _ := NewClient(s.Addr, once)
	if _, err := oc.Logical().Read("kv2/data/app/single"); err != nil {
		t.Fatal(err)
	}
	_, err = oc.Logical().Read("kv2/data/app/single")
	t.Logf("use-limited token, second use: %v", err)
	if !isStatus(err, http.StatusForbidden) {
		t.Errorf("use-limited token: %v", err)
	}

	// Auth methods log in.
	for name, data := range map[string]map[string]any{
		"approle":    {"role_id": s.AppRole.RoleID, "secret_id": s.AppRole.SecretID},
		"jwt":        {"role": "openclaw", "jwt": s.JWTToken(t, "gateway", 5*60e9)},
		"kubernetes": {"role": "openclaw", "jwt": s.KubernetesToken(t, "apps", "openclaw")},
	} {
		cl, _ := NewClient(s.Addr, "")
		sec, err := cl.Logical().Write("auth/"+name+"/login", data)
		if err != nil || sec.Auth == nil || sec.Auth.ClientToken == "" {
			t.Errorf("%s login: %v", name, err)
			continue
		}
		cl.SetToken(sec.Auth.ClientToken)
		if sec, err := cl.KVv2("kv2").Get(t.Context(), "app/single"); err != nil || sec.Data["token"] != SingleToken {
			t.Errorf("%s token read: %v", name, err)
		}
	}
	if s.Kubernetes.Reviews.Load() != 1 {
		t.Errorf("%d token reviews", s.Kubernetes.Reviews.Load())
	}
	cl, _ := NewClient(s.Addr, "")
	_, err = cl.Logical().Write("auth/kubernetes/login", map[string]any{"role": "openclaw", "jwt": s.KubernetesToken(t, "other", "openclaw")})
	if err == nil {
		t.Error("kubernetes login from another namespace succeeded")
	}

	// Audit counting: 10 reads of one path and 1 of another are 10 and 1
	// request entries, with the paths in clear text.
	mark := s.Audit.Mark()
	for range 10 {
		if _, err := c.Logical().Read("kv2/data/app/openai"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Logical().ReadWithData("kv2/data/app/openai", map[string][]string{"version": {"1"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := lookup(s.RootToken, "kv2/app/openai"); err != nil {
		t.Fatal(err)
	}
	entries, err := s.Audit.Since(mark)
	if err != nil {
		t.Fatal(err)
	}
	reads := Count(Requests(entries, "kv2/"))
	if len(reads) != 2 || reads["read kv2/data/app/openai"] != 10 {
		t.Errorf("audit counts %v", reads)
	}
	lookups := Requests(entries, "sys/internal/ui/mounts/")
	if len(lookups) != 1 {
		t.Errorf("mount lookups audited: %d", len(lookups))
	}
	for _, e := range entries {
		line := e.Key() + e.Error
		if strings.Contains(line, Marker) {
			t.Errorf("the audit log holds a value: %s", line)
		}
	}
	t.Logf("audit keys: %v", reads)
}

// The proxy passes requests, records them, and dies on demand.
func TestProxy(t *testing.T) {
	s := Start(t)
	p := NewProxy(t, s.Addr)
	c, _ := NewClient(p.URL, s.RootToken)
	c.SetNamespace("team-a")
	if sec, err := c.KVv2("kv2").Get(t.Context(), "app/single"); err != nil || sec.Data["token"] != SingleToken {
		t.Fatalf("through the proxy: %v", err)
	}
	reqs := p.Requests()
	if len(reqs) != 1 || reqs[0].Path != "/v1/kv2/data/app/single" || reqs[0].Namespace != "team-a" || !reqs[0].Token {
		t.Fatalf("recorded %+v", reqs)
	}
	p.SetHook(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		http.Error(w, `{"errors":["slow down"]}`, http.StatusTooManyRequests)
	})
	if _, err := c.Logical().Read("kv2/data/app/single"); !isStatus(err, http.StatusTooManyRequests) {
		t.Fatalf("hook: %v", err)
	}
	p.Kill()
	_, err := c.Logical().Read("kv2/data/app/single")
	if err == nil {
		t.Fatal("read through a killed proxy")
	}
	t.Logf("after Kill: %v", err)
}

func isStatus(err error, code int) bool {
	var re *api.ResponseError
	return errors.As(err, &re) && re.StatusCode == code
}
