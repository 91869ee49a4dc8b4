package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/vault/api"

	"github.com/execref/execref/sdk/sdktest"
)

// The mounts the fixtures create, besides the KV v1 engine that
// vault.TestCoreUnsealed itself mounts at secret/.
const (
	MountSecret = "secret"    // KV v1, mounted by TestCoreUnsealed
	MountKV1    = "kv1"       // KV v1
	MountKV2    = "kv2"       // KV v2
	MountTeam   = "team/apps" // KV v2, a mount path of two segments
	MountBench  = "bench"     // KV v2: 64 paths of 8 fields, one path of 512
)

// Policies.
const (
	// PolicyReadOnlyApp allows reading kv2/app/* and nothing else.
	PolicyReadOnlyApp = "read-only-app"
	// PolicyKVReader allows reading every fixture mount; AppRole logins
	// get it.
	PolicyKVReader = "kv-reader"
)

var policies = map[string]string{
	PolicyReadOnlyApp: `path "kv2/data/app/*" { capabilities = ["read"] }`,
	PolicyKVReader: `
path "secret/*"          { capabilities = ["read"] }
path "kv1/*"             { capabilities = ["read"] }
path "kv2/data/*"        { capabilities = ["read"] }
path "team/apps/data/*"  { capabilities = ["read"] }
path "bench/data/*"      { capabilities = ["read"] }
`,
}

// Marker is in every secret value of the fixtures (but the PEM), so that
// a leak of any of them is found by looking for it.
const Marker = "s3cr3t"

// Secret values. None of them may ever appear on a resolver's stderr.
var (
	OpenAIKey   = "sk-openai-0123456789abcdef-s3cr3t"
	OpenAIKeyV1 = "sk-openai-old-v1-s3cr3t"
	OpenAIOrg   = "org-execref-s3cr3t"
	Unicode     = "pässwörd-密码-🔑 \"q\" \\ \t-s3cr3t"
	Multiline   = "line one s3cr3t\nline two\n\tindented\n"
	PEM         = sdktest.PEM(1536) // about 2 KiB
	SingleToken = "single-token-s3cr3t"
	RotatedV2   = "rotated-v2-s3cr3t"
	DeepValue   = "deep-nested-s3cr3t"
	TeamToken   = "team-web-token-s3cr3t"
	OtherSecret = "other-secret-s3cr3t"
	KV1Password = "kv1-db-password-s3cr3t"
	SecretAPI   = "sk-secret-mount-s3cr3t"
	GitHubToken = "ghp_secretmounts3cr3t0123456789"
)

// Values maps ids, in the resolver's syntax with its default flags
// (--mount secret, --kv-version auto), to the values they resolve to.
var Values = map[string]string{
	"kv2/app/openai#apiKey":          OpenAIKey,
	"kv2/app/openai#org":             OpenAIOrg,
	"kv2/app/openai#unicode":         Unicode,
	"kv2/app/openai#multiline":       Multiline,
	"kv2/app/openai#pem":             PEM,
	"kv2/app/openai:v1#apiKey":       OpenAIKeyV1,
	"kv2/app/openai:v2#org":          OpenAIOrg,
	"kv2/app/single#":                SingleToken,
	"kv2/app/single#token":           SingleToken,
	"kv2/app/rotated:v2#token":       RotatedV2,
	"kv2/app/deep/nested/path#key":   DeepValue,
	"kv2/other/secret#password":      OtherSecret,
	"team/apps/web#token":            TeamToken,
	"kv1/db#password":                KV1Password,
	"secret/providers/openai#apiKey": SecretAPI,
	"providers/openai/apiKey":        SecretAPI,
	"providers/github/token":         GitHubToken,
}

// Per-id failures of the fixtures (default flags, root token).
var (
	// NotFound: missing paths, fields, mounts and versions.
	// Ids that hold '#' or ":vN" where they are part of a secret's name
	// are found or not like any other: kv2/app#a#b is field b of the
	// secret "app#a", providers/openai:v2/apiKey the secret named
	// "providers/openai:v2" (the bundled syntax has no versions).
	NotFound = []string{
		"kv2/app/missing#apiKey", "kv2/app/openai#missing", "kv1/missing#x", "kv1/db#missing",
		"nomount/x#y", "team/apps/missing#token", "providers/missing/apiKey", "kv2/app/openai:v9#apiKey",
		"kv2/app#a#b", "kv2/app/openai#apiKey#x", "providers/openai:v2/apiKey", "team/apps#token",
	}
	// Deleted is the latest version of kv2/app/rotated (version 3), soft
	// deleted; Destroyed its version 1.
	Deleted   = []string{"kv2/app/rotated#token", "kv2/app/rotated:v3#token"}
	Destroyed = []string{"kv2/app/rotated:v1#token"}
	// InvalidValue: a number, an object, a list, an empty string, a
	// whitespace-only string, and a secret of several fields asked without
	// one.
	InvalidValue = []string{
		"kv2/app/openai#number", "kv2/app/openai#object", "kv2/app/openai#list", "kv2/app/openai#empty",
		"kv2/app/openai#blank", "kv2/app/openai#", "kv1/db#port", "kv1/db#empty",
	}
	// InvalidID: an empty segment, neither '#' nor '/', MOUNT#FIELD
	// without a path, a version that is not one (v0, a leading zero), a
	// version on a KV v1 secret, a mount that is not KV (sys/).
	InvalidID = []string{
		"kv2//app#apiKey", "kv2/app/#apiKey", "apiKey", "kv2#apiKey", "kv2/app/openai:v0#apiKey",
		"kv2/app/openai:v01#apiKey", "kv1/db:v2#password", "sys/health#version",
	}
)

// Object is the JSON text of kv2/app/openai#object (with --json).
const Object = `{"nested":"object-s3cr3t"}`

type secret struct {
	path     string // the API path for the data, KV v2 paths with data/
	versions []map[string]any
}

func fixtureSecrets() []secret {
	openai := map[string]any{
		"apiKey": OpenAIKey, "org": OpenAIOrg, "unicode": Unicode, "multiline": Multiline, "pem": PEM,
		"number": 42, "object": map[string]any{"nested": "object-s3cr3t"}, "list": []any{"a", "b"},
		"empty": "", "blank": "   ",
	}
	out := []secret{
		{"kv2/data/app/openai", []map[string]any{{"apiKey": OpenAIKeyV1}, openai}},
		{"kv2/data/app/single", []map[string]any{{"token": SingleToken}}},
		{"kv2/data/app/rotated", []map[string]any{{"token": "rotated-v1-s3cr3t"}, {"token": RotatedV2}, {"token": "rotated-v3-s3cr3t"}}},
		{"kv2/data/app/deep/nested/path", []map[string]any{{"key": DeepValue}}},
		{"kv2/data/other/secret", []map[string]any{{"password": OtherSecret}}},
		{"team/apps/data/web", []map[string]any{{"token": TeamToken}}},
		{"kv1/db", []map[string]any{{"password": KV1Password, "port": 5432, "empty": ""}}},
		{"secret/providers/openai", []map[string]any{{"apiKey": SecretAPI}}},
		{"secret/providers/github", []map[string]any{{"token": GitHubToken, "user": "execref-bot"}}},
	}
	one := map[string]any{}
	for f := 0; f < 512; f++ {
		one[fmt.Sprintf("f%03d", f)] = BenchValue(0, f)
	}
	out = append(out, secret{"bench/data/one", []map[string]any{one}})
	for p := 0; p < 64; p++ {
		fields := map[string]any{}
		for f := 0; f < 8; f++ {
			fields[fmt.Sprintf("f%03d", f)] = BenchValue(p, f)
		}
		out = append(out, secret{fmt.Sprintf("bench/data/p%02d", p), []map[string]any{fields}})
	}
	return out
}

// BenchValue is the value of field f of bench path p.
func BenchValue(p, f int) string {
	return fmt.Sprintf("bench-p%02d-f%03d-s3cr3t-%032d", p, f, p*1000+f)
}

// BenchIDs is n ids spread over paths bench paths (1 or 64), with their
// values: with one path, fields of bench/one; with 64, n/64 fields of
// each of bench/p00..p63.
func BenchIDs(n, paths int) ([]string, map[string]string) {
	ids := make([]string, 0, n)
	want := make(map[string]string, n)
	for i := 0; i < n; i++ {
		var id, v string
		if paths == 1 {
			id, v = fmt.Sprintf("bench/one#f%03d", i), BenchValue(0, i)
		} else {
			p, f := i%paths, i/paths
			id, v = fmt.Sprintf("bench/p%02d#f%03d", p, f), BenchValue(p, f)
		}
		ids = append(ids, id)
		want[id] = v
	}
	return ids, want
}

func (s *Server) writeFixtures(tb testing.TB) error {
	sys := s.Client.Sys()
	mounts := []struct {
		path    string
		version string
	}{{MountKV1, "1"}, {MountKV2, "2"}, {MountTeam, "2"}, {MountBench, "2"}}
	for _, m := range mounts {
		if err := sys.Mount(m.path, &api.MountInput{Type: "kv", Options: map[string]string{"version": m.version}}); err != nil {
			return fmt.Errorf("mount %s: %w", m.path, err)
		}
	}
	for name, rules := range policies {
		if err := sys.PutPolicy(name, rules); err != nil {
			return fmt.Errorf("policy %s: %w", name, err)
		}
	}
	for _, sec := range fixtureSecrets() {
		v2 := strings.Contains(sec.path, "/data/")
		for _, data := range sec.versions {
			body := data
			if v2 {
				body = map[string]any{"data": data}
			}
			if _, err := s.write(sec.path, body); err != nil {
				return err
			}
		}
	}
	// kv2/app/rotated: version 3 (the latest) soft-deleted, version 1
	// destroyed, version 2 readable.
	if _, err := s.write("kv2/delete/app/rotated", map[string]any{"versions": []int{3}}); err != nil {
		return err
	}
	if _, err := s.write("kv2/destroy/app/rotated", map[string]any{"versions": []int{1}}); err != nil {
		return err
	}

	// AppRole at approle/, role "openclaw", with kv-reader.
	if err := sys.EnableAuthWithOptions("approle", &api.EnableAuthOptions{Type: "approle"}); err != nil {
		return fmt.Errorf("enable approle: %w", err)
	}
	s.AppRole = AppRole{Mount: "approle", Role: "openclaw"}
	if _, err := s.write("auth/approle/role/openclaw", map[string]any{
		"token_policies": []string{PolicyKVReader}, "token_ttl": "10m", "secret_id_ttl": "0",
	}); err != nil {
		return err
	}
	roleID, err := s.Client.Logical().Read("auth/approle/role/openclaw/role-id")
	if err != nil {
		return fmt.Errorf("role id: %w", err)
	}
	s.AppRole.RoleID = roleID.Data["role_id"].(string)
	sid, err := s.write("auth/approle/role/openclaw/secret-id", nil)
	if err != nil {
		return err
	}
	s.AppRole.SecretID = sid.Data["secret_id"].(string)
	return s.setupExtraAuth(tb)
}
