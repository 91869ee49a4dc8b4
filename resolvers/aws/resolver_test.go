package aws_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/aws/internal/fakeaws"
)

// pem is a private key of realistic size (about 1.7 KB, 64-column lines,
// a trailing newline).
var pem = func() string {
	var b strings.Builder
	b.WriteString("-----BEGIN RSA PRIVATE KEY-----\n")
	sum := sha256.Sum256([]byte("seed"))
	var body []byte
	for len(body) < 1200 {
		sum = sha256.Sum256(sum[:])
		body = append(body, sum[:]...)
	}
	enc := base64.StdEncoding.EncodeToString(body)
	for len(enc) > 64 {
		b.WriteString(enc[:64] + "\n")
		enc = enc[64:]
	}
	b.WriteString(enc + "\n-----END RSA PRIVATE KEY-----\n")
	return b.String()
}()

const unicodeValue = "pässwörd-密码-🔑 \"q\" \\ \t tab\nline two\r\n"

var binaryValue = []byte{0x00, 0x01, 0xfe, 0xff, 'k', 'e', 'y', 0x80, '\n'}

// seeded is what seed put in the fake.
type seeded struct {
	openaiV1, openaiV2 string // version ids of prod/openai
	binV1              string // version id of the first bin/key
	bigValue           string
	secrets            []string // every secret value, for the stderr check
}

// seed fills the fake with the secrets and parameters most tests use.
func seed(f *fakeaws.Server) seeded {
	var s seeded
	s.openaiV1 = f.PutSecretString("prod/openai", `{"apiKey":"sk-old-000","org":"org-old"}`)
	current, _ := json.Marshal(map[string]any{
		"apiKey": "sk-live-123", "org": "org-9", "n": 42, "pi": 3.25, "flag": true, "nul": nil,
		"nested": map[string]any{"a": 1, "b": []int{2}}, "list": []any{1, "x"},
		"unicode": unicodeValue, "pem": pem,
	})
	s.openaiV2 = f.PutSecretString("prod/openai", string(current))
	f.PutSecret("prod/openai", fakeaws.SecretValue{String: `{"apiKey":"sk-blue-777"}`, Stages: []string{"blue"}})
	f.PutSecretString("plain/token", "tok-ABC-plain")
	f.PutSecretString("unicode", unicodeValue)
	f.PutSecretString("tls/pem", pem)
	s.bigValue = strings.Repeat("0123456789abcdef", 3*1024) // 48 KiB
	f.PutSecretString("big", s.bigValue)
	s.binV1 = f.PutSecretBinary("bin/key", []byte("old-binary"))
	f.PutSecretBinary("bin/key", binaryValue)
	f.PutSecretString("array", `["a","b"]`)

	f.PutParameter("/prod/openai/apiKey", fakeaws.TypeSecureString, "ssm-v1")
	f.PutParameter("/prod/openai/apiKey", fakeaws.TypeSecureString, "ssm-v2")
	f.PutParameter("/prod/openai/apiKey", fakeaws.TypeSecureString, "ssm-v3")
	f.LabelParameterVersion("/prod/openai/apiKey", 2, "stable")
	f.PutParameter("/prod/db/url", fakeaws.TypeString, "postgres://app:pw@db:5432/app?sslmode=require")
	f.PutParameter("/prod/list", fakeaws.TypeStringList, "a,b,c")
	f.PutParameter("/prod/json", fakeaws.TypeSecureString, `{"user":"svc","pass":"ssm-json-pass","port":5432,"obj":{"k":"v"}}`)
	f.PutParameter("/prod/unicode", fakeaws.TypeSecureString, unicodeValue)
	f.PutParameter("plain-name", fakeaws.TypeString, "no-slash-value")
	s.secrets = []string{"sk-old-000", "sk-live-123", "sk-blue-777", "tok-ABC-plain", "pässwörd", "BEGIN RSA", s.bigValue[:32],
		base64.StdEncoding.EncodeToString(binaryValue), "old-binary", "ssm-v1", "ssm-v2", "ssm-v3", "app:pw@db", "ssm-json-pass", "no-slash-value"}
	return s
}

// Every id form, with exact values.
func TestValues(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	s := seed(w.fake)
	arn := w.fake.SecretARN("prod/openai")
	partialARN := arn[:len(arn)-7]
	want := map[string]string{
		// Secrets Manager, current version, whole and by key.
		"sm:plain/token":         "tok-ABC-plain",
		"sm:unicode":             unicodeValue,
		"sm:tls/pem":             pem,
		"sm:big":                 s.bigValue,
		"sm:prod/openai#apiKey":  "sk-live-123",
		"sm:prod/openai#org":     "org-9",
		"sm:prod/openai#n":       "42",
		"sm:prod/openai#pi":      "3.25",
		"sm:prod/openai#flag":    "true",
		"sm:prod/openai#unicode": unicodeValue,
		"sm:prod/openai#pem":     pem,
		// By ARN, full and partial.
		"sm:" + arn + "#apiKey":              "sk-live-123",
		"sm:" + partialARN + "#org":          "org-9",
		"sm:" + arn + "::AWSPREVIOUS#apiKey": "sk-old-000",
		// Versions: a stage, a custom label, a version id.
		"sm:prod/openai::AWSPREVIOUS#apiKey":     "sk-old-000",
		"sm:prod/openai::AWSCURRENT#apiKey":      "sk-live-123",
		"sm:prod/openai::blue#apiKey":            "sk-blue-777",
		"sm:prod/openai::blue":                   `{"apiKey":"sk-blue-777"}`,
		"sm:prod/openai::" + s.openaiV1:          `{"apiKey":"sk-old-000","org":"org-old"}`,
		"sm:prod/openai::" + s.openaiV1 + "#org": "org-old",
		// Binary, base64 (standard encoding), current and pinned.
		"smb:bin/key":                        base64.StdEncoding.EncodeToString(binaryValue),
		"smb:bin/key::AWSPREVIOUS":           base64.StdEncoding.EncodeToString([]byte("old-binary")),
		"smb:bin/key::" + s.binV1:            base64.StdEncoding.EncodeToString([]byte("old-binary")),
		"smb:" + w.fake.SecretARN("bin/key"): base64.StdEncoding.EncodeToString(binaryValue),
		// Parameter Store: latest, version, label, key, types.
		"ssm:/prod/openai/apiKey":                    "ssm-v3",
		"ssm:/prod/openai/apiKey:1":                  "ssm-v1",
		"ssm:/prod/openai/apiKey:stable":             "ssm-v2",
		"ssm:/prod/db/url":                           "postgres://app:pw@db:5432/app?sslmode=require",
		"ssm:/prod/list":                             "a,b,c",
		"ssm:/prod/json#pass":                        "ssm-json-pass",
		"ssm:/prod/json#port":                        "5432",
		"ssm:/prod/unicode":                          unicodeValue,
		"ssm:plain-name":                             "no-slash-value",
		"ssm:" + w.fake.ParameterARN("/prod/db/url"): "postgres://app:pw@db:5432/app?sslmode=require",
	}
	ids := make([]string, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	o := exec(t, w.provider(nil), s.secrets, ids...)
	if o.run.ExitCode != 0 {
		t.Fatalf("exit %d: %s", o.run.ExitCode, o.run.Stderr)
	}
	checkValues(t, o.resp, want)

	// SecureStrings were asked decrypted.
	for _, r := range w.fake.Requests() {
		if r.Op == fakeaws.OpGetParameters && !r.WithDecryption {
			t.Errorf("GetParameters without WithDecryption: %v", r.IDs)
		}
		if r.AccessKeyID != fakeaws.AccessKeyID || r.SessionToken != "" {
			t.Errorf("%s signed with %s", r.Op, r.AccessKeyID)
		}
	}
}

// A secret asked by full or partial ARN resolves, alone and in the same
// batch as the same secret asked by name (BatchGetSecretValue answers
// every SecretId asked; each answer must reach every id it matches).
func TestNameAndARNTogether(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	seed(w.fake)
	arn := w.fake.SecretARN("prod/openai")
	partial := arn[:len(arn)-7]
	alone := map[string]string{"sm:" + arn + "#apiKey": "sk-live-123", "sm:" + partial + "#org": "org-9"}
	for id, v := range alone {
		checkValues(t, resolve(t, w.provider(nil), id), map[string]string{id: v})
	}
	checkValues(t, resolve(t, w.provider(nil), "sm:"+arn+"#apiKey", "sm:"+partial+"#org"), alone)
	together := map[string]string{"sm:prod/openai#apiKey": "sk-live-123", "sm:" + arn + "#apiKey": "sk-live-123", "sm:" + partial + "#org": "org-9"}
	checkValues(t, resolve(t, w.provider(nil), "sm:prod/openai#apiKey", "sm:"+arn+"#apiKey", "sm:"+partial+"#org"), together)
}

func TestJSONSelection(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	seed(w.fake)
	ids := []string{"sm:prod/openai#nested", "sm:prod/openai#list", "sm:prod/openai#missing",
		"sm:plain/token#key", "sm:array#0", "ssm:/prod/json#obj", "ssm:/prod/json#nope", "ssm:/prod/db/url#user", "sm:bin/key#k", "sm:bin/key"}
	res := resolve(t, w.provider(nil), ids...)
	checkCodes(t, res, map[string]protocol.Code{
		"sm:prod/openai#nested":  protocol.InvalidValue,
		"sm:prod/openai#list":    protocol.InvalidValue,
		"sm:prod/openai#missing": protocol.NotFound,
		"sm:plain/token#key":     protocol.InvalidValue,
		"sm:array#0":             protocol.InvalidValue,
		"ssm:/prod/json#obj":     protocol.InvalidValue,
		"ssm:/prod/json#nope":    protocol.NotFound,
		"ssm:/prod/db/url#user":  protocol.InvalidValue,
		"sm:bin/key#k":           protocol.InvalidValue,
		"sm:bin/key":             protocol.InvalidValue,
	}, map[string][]string{
		"sm:prod/openai#missing": {"missing"},
		"sm:prod/openai#nested":  {"--json"},
		"sm:bin/key":             {"smb:"},
	})

	// --json: objects and arrays as compact JSON text.
	res = resolve(t, w.provider(nil, "--json"), "sm:prod/openai#nested", "sm:prod/openai#list", "ssm:/prod/json#obj", "sm:prod/openai#apiKey")
	checkValues(t, res, map[string]string{
		"sm:prod/openai#nested": `{"a":1,"b":[2]}`, "sm:prod/openai#list": `[1,"x"]`,
		"ssm:/prod/json#obj": `{"k":"v"}`, "sm:prod/openai#apiKey": "sk-live-123",
	})
}

func TestInvalidIDs(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	seed(w.fake)
	bad := []string{"prod/openai", "vault:prod/openai", "SM:prod/openai", "sm:", "smb:", "ssm:", "sm:#apiKey",
		"sm:prod/openai#a#b", "ssm:/prod/json#a#b"}
	want := map[string]protocol.Code{}
	for _, id := range bad {
		want[id] = protocol.InvalidID
	}
	res := resolve(t, w.provider(nil), append(bad, "sm:plain/token")...)
	checkCodes(t, res, want, nil)
	checkValues(t, res, map[string]string{"sm:plain/token": "tok-ABC-plain"})
	for _, r := range w.fake.Requests() {
		for _, id := range r.IDs {
			if id != "plain/token" {
				t.Errorf("an invalid id reached AWS: %s %q", r.Op, id)
			}
		}
	}

	// A batch of invalid ids only: AWS is not asked at all.
	w.fake.Reset()
	res = resolve(t, w.provider(nil), bad...)
	checkCodes(t, res, want, nil)
	if n := len(w.fake.Requests()); n != 0 {
		t.Errorf("%d calls for a batch of invalid ids", n)
	}
}

// Ids without a version are batched; a version pins a GetSecretValue with
// VersionStage or VersionId as the selector says.
func TestVersionCalls(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	s := seed(w.fake)
	res := resolve(t, w.provider(nil), "sm:prod/openai::AWSPREVIOUS#apiKey", "sm:prod/openai::AWSPREVIOUS#org",
		"sm:prod/openai::"+s.openaiV2+"#apiKey", "sm:prod/openai#apiKey", "sm:prod/openai#org")
	checkValues(t, res, map[string]string{
		"sm:prod/openai::AWSPREVIOUS#apiKey": "sk-old-000", "sm:prod/openai::AWSPREVIOUS#org": "org-old",
		"sm:prod/openai::" + s.openaiV2 + "#apiKey": "sk-live-123", "sm:prod/openai#apiKey": "sk-live-123", "sm:prod/openai#org": "org-9",
	})
	var byStage, byID int
	for _, r := range w.fake.Requests() {
		switch {
		case r.Op == fakeaws.OpGetSecretValue && r.VersionStage == "AWSPREVIOUS" && r.VersionID == "":
			byStage++
		case r.Op == fakeaws.OpGetSecretValue && r.VersionID == s.openaiV2 && r.VersionStage == "":
			byID++
		}
	}
	if byStage != 1 || byID != 1 || w.fake.Calls(fakeaws.OpGetSecretValue) != 2 || w.fake.Calls(fakeaws.OpBatchGetSecretValue) != 1 {
		t.Errorf("calls: %d by stage, %d by id, %d GetSecretValue, %d BatchGetSecretValue; want 1, 1, 2, 1",
			byStage, byID, w.fake.Calls(fakeaws.OpGetSecretValue), w.fake.Calls(fakeaws.OpBatchGetSecretValue))
	}
}
