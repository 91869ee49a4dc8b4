package onepassword

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/1Password/connect-sdk-go/connect"
	"github.com/1Password/connect-sdk-go/onepassword"
	"github.com/opentracing/opentracing-go"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/onepassword/internal/fakeconnect"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/check"
	"github.com/execref/execref/sdk/sdktest"
)

// Values of the seed. Some hold their own vault, item and field names, so
// that a resolver answering a name, or matching inside a value, is caught.
var (
	cxPassword = "sk-openai-password-0001"
	cxAPIKey   = "Private/OpenAI/api key=sk-openai-key-0002"
	cxAdminKey = "sk-admin-key-0003 (Admin)"
	cxEmail    = "admin@example.com"
	cxOldKey   = "sk-old-key-0004"
	cxShared   = "sk-shared-key-0005"
	cxOTPURI   = "otpauth://totp/OpenAI?secret=JBSWY3DPEHPK3PXP"
	cxTOTP     = "492039"
	cxPEM      = sdktest.PEM(3000)
)

// connectSeed is a fake Connect server holding:
//
//	Private  OpenAI      password (id "password"), api key, one-time password (OTP);
//	                     section Admin: api key, email; file cert.pem
//	         OpenAI-old  api key              (a look-alike title)
//	         Twin ×2     value                (the same title twice)
//	         Fields      "secret" (a field's id) and a field labelled "secret";
//	                     token, Token         (one label twice, case aside)
//	         Empty       blank (no value)
//	Shared   OpenAI      api key              (the same title in another vault)
//	Dup ×2               (the same vault name twice)
//	Hidden               (out of the token's scope)
type connectSeed struct {
	fake                    *fakeconnect.Server
	private, shared, hidden fakeconnect.Vault
	openAI, twin1, twin2    fakeconnect.Item
	adminID                 string // the Admin section's id
}

func seedConnect(t *testing.T) *connectSeed {
	f := fakeconnect.Start(t)
	s := &connectSeed{fake: f, adminID: f.NewID()}
	s.private = f.AddVault("Private")
	s.shared = f.AddVault("Shared")
	f.AddVault("Dup")
	f.AddVault("Dup")
	s.hidden = f.AddVault("Hidden")
	f.Unscope(s.hidden.ID)
	s.openAI = f.AddItem(s.private.ID, fakeconnect.Item{
		Title:    "OpenAI",
		Category: "LOGIN",
		Sections: []fakeconnect.Section{{ID: s.adminID, Label: "Admin"}},
		Fields: []fakeconnect.Field{
			{ID: "password", Label: "password", Value: cxPassword, Type: "CONCEALED", Purpose: "PASSWORD"},
			{Label: "api key", Value: cxAPIKey, Type: "CONCEALED"},
			{Label: "one-time password", Value: cxOTPURI, Type: "OTP", TOTP: cxTOTP},
			{Label: "api key", Value: cxAdminKey, Section: s.adminID},
			{Label: "email", Value: cxEmail, Type: "EMAIL", Section: s.adminID},
		},
		Files: []fakeconnect.File{{Name: "cert.pem", Content: []byte(cxPEM)}},
	})
	f.AddItem(s.private.ID, fakeconnect.Item{Title: "OpenAI-old", Fields: []fakeconnect.Field{{Label: "api key", Value: cxOldKey}}})
	s.twin1 = f.AddItem(s.private.ID, fakeconnect.Item{Title: "Twin", Fields: []fakeconnect.Field{{Label: "value", Value: "twin-one-value"}}})
	s.twin2 = f.AddItem(s.private.ID, fakeconnect.Item{Title: "Twin", Fields: []fakeconnect.Field{{Label: "value", Value: "twin-two-value"}}})
	f.AddItem(s.private.ID, fakeconnect.Item{Title: "Fields", Fields: []fakeconnect.Field{
		{ID: "secret", Label: "alpha", Value: "alpha-by-id"},
		{Label: "secret", Value: "labelled-secret"},
		{Label: "token", Value: "token-lower"},
		{Label: "Token", Value: "token-upper"},
	}})
	f.AddItem(s.private.ID, fakeconnect.Item{Title: "Empty", Fields: []fakeconnect.Field{{Label: "blank"}}})
	f.AddItem(s.shared.ID, fakeconnect.Item{Title: "OpenAI", Fields: []fakeconnect.Field{{Label: "api key", Value: cxShared}}})
	t.Cleanup(func() {
		if stray := f.Stray(); len(stray) > 0 {
			t.Errorf("requests outside the API reached the fake: %q", stray)
		}
	})
	return s
}

var cxSecrets = []string{cxPassword, cxAPIKey, cxAdminKey, cxEmail, cxOldKey, cxShared, cxOTPURI, cxPEM}

func TestConnectValues(t *testing.T) {
	s := seedConnect(t)
	v, it := s.private.ID, s.openAI.ID
	want := map[string]string{
		"Private/OpenAI/password":                                 cxPassword,
		cxID(t, "Private/OpenAI/api key"):                         cxAPIKey, // the default section's, not Admin's
		cxID(t, "op://Private/OpenAI/Admin/api key"):              cxAdminKey,
		"Private/OpenAI/" + s.adminID + "/email":                  cxEmail, // section by id
		cxID(t, "private/openai/ADMIN/Email"):                     cxEmail, // names ignore case
		v + "/" + it + "/password":                                cxPassword,
		"Private/" + it + "/password":                             cxPassword,
		"Private/OpenAI/cert.pem":                                 cxPEM, // a file, by name
		cxID(t, "Private/OpenAI/one-time password"):               cxOTPURI,
		cxID(t, "Private/OpenAI/one-time password?attribute=otp"): cxTOTP,
		cxID(t, "Private/OpenAI-old/api key"):                     cxOldKey,
		"Private/" + s.twin1.ID + "/value":                        "twin-one-value",
		"Private/" + s.twin2.ID + "/value":                        "twin-two-value",
		"Private/Fields/secret":                                   "alpha-by-id", // an id wins over another field's label
		cxID(t, "Shared/OpenAI/api key"):                          cxShared,
	}
	ids := cxKeys(want)
	cxWantValues(t, serveConnect(t, mustConnect(t, s.fake.URL, 4), cxSecrets, ids), want)
}

func TestConnectFetchesEachItemOnce(t *testing.T) {
	s := seedConnect(t)
	v, it := s.private.ID, s.openAI.ID
	ids := []string{
		"Private/OpenAI/password", "Private/openai/password", v + "/" + it + "/password", "Private/" + it + "/password",
		cxID(t, "Private/OpenAI/Admin/email"), cxID(t, "Private/OpenAI/api key"),
		"Private/OpenAI/cert.pem", v + "/OpenAI/cert.pem", "Private/Twin/value", cxID(t, "Shared/OpenAI/api key"),
	}
	o := serveConnect(t, mustConnect(t, s.fake.URL, 4), cxSecrets, ids)
	if o.status != 0 {
		t.Fatalf("exit %d: %s", o.status, o.stderr)
	}
	counts := map[string]int{
		"/v1/vaults":                           1,
		"/v1/vaults/" + v + "/items":           1,
		"/v1/vaults/" + s.shared.ID + "/items": 1,
		fakeconnect.ItemPath(v, it):            1,
		fakeconnect.ItemPath(v, s.twin1.ID):    0, // ambiguous: neither twin is fetched
		fakeconnect.ItemPath(v, it) + "/files/" + s.openAI.Files[0].ID + "/content": 1,
	}
	for path, n := range counts {
		if got := s.fake.Count(path); got != n {
			t.Errorf("%d requests for %s, want %d", got, path, n)
		}
	}
	if n := len(s.fake.Requests()); n != 6 {
		t.Errorf("%d requests in all, want 6 (vaults, 2 item lists, 2 items, 1 file)", n)
	}
}

func TestConnectAmbiguous(t *testing.T) {
	s := seedConnect(t)
	o := serveConnect(t, mustConnect(t, s.fake.URL, 4), cxSecrets, []string{
		"Dup/OpenAI/password", "Private/Twin/value", "Private/twin/value", "Private/Fields/token",
	})
	cxWantCodes(t, o, map[string]protocol.Code{
		"Dup/OpenAI/password":  protocol.AmbiguousDuplicateKey,
		"Private/Twin/value":   protocol.AmbiguousDuplicateKey,
		"Private/twin/value":   protocol.AmbiguousDuplicateKey,
		"Private/Fields/token": protocol.AmbiguousDuplicateKey,
	}, map[string][]string{
		"Dup/OpenAI/password":  {`2 vaults are named "Dup"`, "use the vault's id"},
		"Private/Twin/value":   {`2 items in vault "Private" are titled "Twin"`, s.twin1.ID, s.twin2.ID},
		"Private/Fields/token": {`2 fields of item "Fields" of vault "Private" are named "token"`},
	})
}

func TestConnectNotFound(t *testing.T) {
	s := seedConnect(t)
	ids := []string{
		"Nowhere/OpenAI/password", "Private/OpenAI-ol/password", "Private/OpenAI/passwor", "Private/OpenAI/Admin/password",
		"Private/OpenAI/Billing/email", s.hidden.ID + "/x/y", "Hidden/x/y", "Private/" + s.fake.NewID() + "/password",
	}
	o := serveConnect(t, mustConnect(t, s.fake.URL, 4), cxSecrets, ids)
	want := map[string]protocol.Code{}
	for _, id := range ids {
		want[id] = protocol.NotFound
	}
	cxWantCodes(t, o, want, map[string][]string{
		"Nowhere/OpenAI/password":       {`no vault "Nowhere" among the 4 vaults`},
		"Private/OpenAI-ol/password":    {`no item "OpenAI-ol" in vault "Private"`},
		"Private/OpenAI/passwor":        {`item "OpenAI" of vault "Private" has no field or file "passwor"`},
		"Private/OpenAI/Admin/password": {`no field or file "password" in section "Admin"`},
		"Private/OpenAI/Billing/email":  {`has no section "Billing"`},
	})
}

func TestConnectValueChecks(t *testing.T) {
	s := seedConnect(t)
	m := mustConnect(t, s.fake.URL, 4)
	ssh := cxID(t, "Private/OpenAI/password?ssh-format=openssh")
	otp := cxID(t, "Private/OpenAI/password?attribute=otp")
	o := serveConnect(t, m, cxSecrets, []string{ssh})
	cxWantCodes(t, o, map[string]protocol.Code{ssh: protocol.InvalidID}, map[string][]string{ssh: {"?ssh-format=openssh", "--mode sdk"}})
	if n := len(s.fake.Requests()); n != 0 {
		t.Errorf("a query connect mode cannot answer still sent %d requests", n)
	}
	o = serveConnect(t, m, cxSecrets, []string{otp, "Private/Empty/blank"})
	cxWantCodes(t, o, map[string]protocol.Code{otp: protocol.InvalidValue, "Private/Empty/blank": protocol.InvalidValue},
		map[string][]string{otp: {"not a one-time password field"}})
}

func TestConnectTokenRefused(t *testing.T) {
	s := seedConnect(t)
	s.fake.SetToken("another-token")
	o := serveConnect(t, mustConnect(t, s.fake.URL, 4), cxSecrets, []string{"Private/OpenAI/password", "Shared/OpenAI/x"})
	cxWantExit(t, o, sdk.ExitNoPerm, "refused the token", "401 Unauthorized: Invalid token signature", "OP_CONNECT_TOKEN")
	if n := len(s.fake.Requests()); n != 1 {
		t.Errorf("%d requests after the token was refused, want 1", n)
	}
}

func TestConnectTokenRevokedMidBatch(t *testing.T) {
	s := seedConnect(t)
	// The vault and item lists pass; the item's GET is refused.
	s.fake.FailItem(s.openAI.ID, fakeconnect.ItemFault{Status: http.StatusUnauthorized})
	o := serveConnect(t, mustConnect(t, s.fake.URL, 4), cxSecrets, []string{"Private/OpenAI/password", "Nowhere/x/y"})
	cxWantExit(t, o, sdk.ExitNoPerm, "refused the token")
}

func TestConnectVaultListForbidden(t *testing.T) {
	s := seedConnect(t)
	s.fake.Fail(http.StatusForbidden, -1)
	o := serveConnect(t, mustConnect(t, s.fake.URL, 4), cxSecrets, []string{"Private/OpenAI/password"})
	cxWantExit(t, o, sdk.ExitNoPerm, "listing the vaults", "403 Forbidden")
}

// Two sections may share a label: a field held by one of them is found,
// one held by both is ambiguous.
func TestConnectSectionsSharingALabel(t *testing.T) {
	f := fakeconnect.Start(t)
	v := f.AddVault("V")
	s1, s2 := f.NewID(), f.NewID()
	f.AddItem(v.ID, fakeconnect.Item{Title: "I",
		Sections: []fakeconnect.Section{{ID: s1, Label: "S"}, {ID: s2, Label: "s"}},
		Fields: []fakeconnect.Field{
			{Label: "only", Value: "only-in-first", Section: s1},
			{Label: "both", Value: "both-first", Section: s1},
			{Label: "both", Value: "both-second", Section: s2},
		}})
	o := serveConnect(t, mustConnect(t, f.URL, 2), nil, []string{"V/I/S/only", "V/I/S/both", "V/I/" + s2 + "/both"})
	cxWantValues(t, o, map[string]string{"V/I/S/only": "only-in-first", "V/I/" + s2 + "/both": "both-second"})
	cxWantCodes(t, o, map[string]protocol.Code{"V/I/S/both": protocol.AmbiguousDuplicateKey}, map[string][]string{"V/I/S/both": {`in section "S"`}})
}

func TestConnectUnreachable(t *testing.T) {
	url := cxClosedURL(t)
	o := serveConnect(t, mustConnect(t, url, 4), nil, []string{"Private/OpenAI/password"})
	cxWantExit(t, o, sdk.ExitUnavailable, "cannot reach Connect at "+url+" (OP_CONNECT_HOST)", "connection refused", "(3 attempts)")
}

func TestConnectPartlyUnreachable(t *testing.T) {
	s := seedConnect(t)
	s.fake.FailItem(s.openAI.ID, fakeconnect.ItemFault{Drop: true})
	o := serveConnect(t, mustConnect(t, s.fake.URL, 4), cxSecrets, []string{"Private/OpenAI/password", "Private/OpenAI-old/api_key", cxID(t, "Shared/OpenAI/api key")})
	cxWantValues(t, o, map[string]string{cxID(t, "Shared/OpenAI/api key"): cxShared})
	cxWantCodes(t, o, map[string]protocol.Code{"Private/OpenAI/password": protocol.Unavailable, "Private/OpenAI-old/api_key": protocol.NotFound},
		map[string][]string{"Private/OpenAI/password": {`reading item "OpenAI" of vault "Private"`}})
}

func TestConnectUnreachableMidBatchWithNothingAnswered(t *testing.T) {
	s := seedConnect(t)
	s.fake.FailItem(s.openAI.ID, fakeconnect.ItemFault{Drop: true})
	o := serveConnect(t, mustConnect(t, s.fake.URL, 4), cxSecrets, []string{"Private/OpenAI/password", cxID(t, "Private/OpenAI/api key")})
	cxWantExit(t, o, sdk.ExitUnavailable, "Connect at "+s.fake.URL, `reading item "OpenAI" of vault "Private"`)
}

func TestConnectRateLimitedThenServed(t *testing.T) {
	s := seedConnect(t)
	s.fake.RateLimit(3)
	o := serveConnect(t, mustConnect(t, s.fake.URL, 4), cxSecrets, []string{"Private/OpenAI/password"})
	cxWantValues(t, o, map[string]string{"Private/OpenAI/password": cxPassword})
	throttled := 0
	for _, r := range s.fake.Requests() {
		if r.Status == http.StatusTooManyRequests {
			throttled++
		}
	}
	if throttled != 3 {
		t.Errorf("%d requests were throttled, want 3 (retried)", throttled)
	}
}

func TestConnectRateLimited(t *testing.T) {
	s := seedConnect(t)
	s.fake.RateLimit(-1)
	o := serveConnect(t, mustConnect(t, s.fake.URL, 4), cxSecrets, []string{"Private/OpenAI/password", "Shared/x/y"}, "--timeout", "1500ms")
	cxWantCodes(t, o, map[string]protocol.Code{"Private/OpenAI/password": protocol.RateLimited, "Shared/x/y": protocol.RateLimited},
		map[string][]string{"Shared/x/y": {"listing the vaults", "429 Too Many Requests", "attempts)"}})
	if n := len(s.fake.Requests()); n < 2 {
		t.Errorf("%d requests: the 429 was not retried", n)
	}
}

func TestConnectItemFaults(t *testing.T) {
	s := seedConnect(t)
	s.fake.FailItem(s.openAI.ID, fakeconnect.ItemFault{Status: http.StatusForbidden})
	s.fake.FailItem(s.twin1.ID, fakeconnect.ItemFault{Status: http.StatusNotFound})
	s.fake.FailItem(s.twin2.ID, fakeconnect.ItemFault{Status: http.StatusServiceUnavailable})
	tw1, tw2 := "Private/"+s.twin1.ID+"/value", "Private/"+s.twin2.ID+"/value"
	o := serveConnect(t, mustConnect(t, s.fake.URL, 4), cxSecrets, []string{"Private/OpenAI/password", tw1, tw2, cxID(t, "Shared/OpenAI/api key")},
		"--timeout", "1500ms")
	cxWantValues(t, o, map[string]string{cxID(t, "Shared/OpenAI/api key"): cxShared})
	cxWantCodes(t, o, map[string]protocol.Code{
		"Private/OpenAI/password": protocol.PermissionDenied,
		tw1:                       protocol.NotFound,
		tw2:                       protocol.Unavailable,
	}, map[string][]string{
		"Private/OpenAI/password": {"403 Forbidden", "scope"},
		tw2:                       {"503 Service Unavailable", "attempts)"},
	})
}

func TestConnectSlowItemTimesOut(t *testing.T) {
	s := seedConnect(t)
	s.fake.FailItem(s.openAI.ID, fakeconnect.ItemFault{Delay: time.Minute})
	o := serveConnect(t, mustConnect(t, s.fake.URL, 4), cxSecrets, []string{"Private/OpenAI/password", cxID(t, "Shared/OpenAI/api key")}, "--timeout", "1s")
	cxWantValues(t, o, map[string]string{cxID(t, "Shared/OpenAI/api key"): cxShared})
	cxWantCodes(t, o, map[string]protocol.Code{"Private/OpenAI/password": protocol.Timeout}, nil)
}

func TestConnectConcurrencyBound(t *testing.T) {
	for _, tc := range []struct {
		name       string
		mode, flag int
	}{{"mode bound", 3, 8}, {"--concurrency", 8, 2}} {
		t.Run(tc.name, func(t *testing.T) {
			f := fakeconnect.Start(t)
			v := f.AddVault("V")
			var ids []string
			for i := range 24 {
				title := "item" + string(rune('a'+i))
				f.AddItem(v.ID, fakeconnect.Item{Title: title, Fields: []fakeconnect.Field{{Label: "f", Value: "value-" + title}}})
				ids = append(ids, "V/"+title+"/f")
			}
			f.SetLatency(10 * time.Millisecond)
			o := serveConnect(t, mustConnect(t, f.URL, tc.mode), nil, ids, "--concurrency", strconv.Itoa(tc.flag))
			if o.status != 0 || len(o.res) != 24 {
				t.Fatalf("exit %d: %s", o.status, o.stderr)
			}
			if limit := min(tc.mode, tc.flag); f.MaxInFlight() > limit {
				t.Errorf("%d requests at once, want at most %d", f.MaxInFlight(), limit)
			}
		})
	}
}

func TestConnectNotAConnectServer(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   string
	}{
		{"web page", http.StatusOK, "<html>hello</html>", "is not Connect's JSON"},
		{"proxy error", http.StatusBadGateway, `{"error":"upstream down"}`, "is not Connect's"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			o := serveConnect(t, mustConnect(t, srv.URL, 4), nil, []string{"Private/OpenAI/password"})
			cxWantExit(t, o, sdk.ExitUnavailable, tc.want, "OP_CONNECT_HOST")
		})
	}
}

func TestConnectConfig(t *testing.T) {
	for _, tc := range []struct{ host, token, want string }{
		{"", "tok", "OP_CONNECT_HOST is empty"},
		{"localhost:8080", "tok", "does not start with http:// or https://"},
		{"ftp://connect", "tok", "does not start with http"},
		{"http://", "tok", "names no host"},
		{"http://user:pw@connect:8080", "tok", "user name or password"},
		{"http://connect:8080?x=1", "tok", "query"},
		{" http://connect:8080", "tok", "whitespace"},
		{"http://connect:8080", "", "OP_CONNECT_TOKEN is empty"},
		{"http://connect:8080", "two words-secret", "whitespace or control characters"},
		{"http://connect:8080", "line\nbreak-secret", "whitespace or control characters"},
	} {
		_, err := newConnectMode(tc.host, tc.token, 4)
		if !errors.Is(err, sdk.ErrConfig) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("newConnectMode(%q, ...) = %v, want a configuration error mentioning %q", tc.host, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("the error quotes the token: %v", err)
		}
	}
	m, err := newConnectMode("https://connect.example:8443/prefix/", " tok\n", 4)
	if err != nil {
		t.Fatal(err)
	}
	if c := m.(*connectMode); c.api.host != "https://connect.example:8443/prefix" || c.token != "tok" {
		t.Errorf("host %q token %q: want the trailing slash and the surrounding whitespace dropped", c.api.host, c.token)
	}
}

func TestConnectTracingOff(t *testing.T) {
	mustConnect(t, "http://127.0.0.1:1", 1)
	if _, noop := opentracing.GlobalTracer().(opentracing.NoopTracer); !noop {
		t.Errorf("the global tracer is %T: connect-sdk-go's Jaeger tracer would report to localhost", opentracing.GlobalTracer())
	}
}

// contentClient is a Connect client whose item holds a file with a given
// content path; it records whether the content was asked for.
type contentClient struct {
	connect.Client
	path  string
	asked bool
}

func (c *contentClient) GetVaults() ([]onepassword.Vault, error) {
	return []onepassword.Vault{{ID: strings.Repeat("v", 26), Name: "V"}}, nil
}
func (c *contentClient) GetItems(string) ([]onepassword.Item, error) {
	return []onepassword.Item{{ID: strings.Repeat("i", 26), Title: "I"}}, nil
}
func (c *contentClient) GetItemByUUID(string, string) (*onepassword.Item, error) {
	return &onepassword.Item{ID: strings.Repeat("i", 26), Title: "I",
		Files: []*onepassword.File{{ID: strings.Repeat("f", 26), Name: "f.txt", ContentPath: c.path}}}, nil
}
func (c *contentClient) GetFileContent(*onepassword.File) ([]byte, error) {
	c.asked = true
	return []byte("content"), nil
}

func TestConnectContentPathStaysOnTheServer(t *testing.T) {
	for _, path := range []string{"@evil.example/v1/vaults/x", "https://evil.example/v1/vaults/x", "/v1/vaults/../../x", "/other/path"} {
		c := &contentClient{path: path}
		m := &connectMode{api: &connectAPI{client: c, host: "http://connect"}, token: "tok", concurrency: 1}
		o := serveConnect(t, m, nil, []string{"V/I/f.txt"})
		cxWantCodes(t, o, map[string]protocol.Code{"V/I/f.txt": protocol.Internal}, map[string][]string{"V/I/f.txt": {"unexpected content path"}})
		if c.asked {
			t.Errorf("content path %q was requested", path)
		}
	}
	c := &contentClient{path: "v1/vaults/x/items/y/files/z/content"} // the specification's example: no leading slash
	o := serveConnect(t, &connectMode{api: &connectAPI{client: c, host: "http://connect"}, token: "tok", concurrency: 1}, nil, []string{"V/I/f.txt"})
	cxWantValues(t, o, map[string]string{"V/I/f.txt": "content"})
}

func TestConnectCheck(t *testing.T) {
	s := seedConnect(t)
	out := runConnectCheck(t, mustConnect(t, s.fake.URL, 4))
	if !out.OK || len(out.Checks) != 2 || !strings.Contains(out.Checks[1].Detail, `the token can read 4 vaults: "Private", "Shared"`) {
		t.Errorf("check = %+v", out)
	}
	if n := s.fake.Count("/v1/vaults"); n != 1 || len(s.fake.Requests()) != 1 {
		t.Errorf("the check sent %d requests, want the vault list alone", len(s.fake.Requests()))
	}

	s.fake.SetToken("other")
	out = runConnectCheck(t, mustConnect(t, s.fake.URL, 4))
	if f := out.Failures(); out.OK || len(f) != 1 || f[0].Name != "connect token" || f[0].Code != protocol.Unauthenticated {
		t.Errorf("check with a refused token = %+v", out)
	}
	out = runConnectCheck(t, mustConnect(t, cxClosedURL(t), 4))
	if f := out.Failures(); out.OK || len(f) != 1 || f[0].Name != "connect server" || f[0].Code != protocol.Unavailable {
		t.Errorf("check of an unreachable server = %+v", out)
	}
}

func runConnectCheck(t *testing.T, m mode) check.Output {
	t.Helper()
	var stdout, stderr strings.Builder
	sdk.Serve(sdk.Program{Name: "openclaw-1password-resolver", Backend: connectBackend{m}}, []string{"check"}, strings.NewReader(""), &stdout, &stderr)
	out, err := check.Decode([]byte(stdout.String()))
	if err != nil {
		t.Fatalf("check output: %v\nstderr: %s", err, stderr.String())
	}
	if strings.Contains(stderr.String(), fakeconnect.Token) {
		t.Errorf("stderr holds the token")
	}
	return out
}

func cxKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
