package benchcompare

import (
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
)

func TestRequestIsTheGatewaysRequest(t *testing.T) {
	got := Request("vault", []string{"kv/a#x", "kv/b#y"})
	if want := `{"protocolVersion":1,"provider":"vault","ids":["kv/a#x","kv/b#y"]}`; string(got) != want {
		t.Errorf("Request = %s, want %s", got, want)
	}
	req, err := protocol.ParseRequest(got)
	if err != nil || req.Provider != "vault" || len(req.IDs) != 2 {
		t.Errorf("ParseRequest(Request(…)) = %+v, %v", req, err)
	}
	if got := Request("p", nil); string(got) != `{"protocolVersion":1,"provider":"p","ids":[]}` {
		t.Errorf("Request with no ids = %s", got)
	}
}

func TestResponseRoundTrip(t *testing.T) {
	want := map[string]string{
		"a":      "value-of-a",
		"b/c#d":  "value-of-b <&> \"quoted\" \n",
		"ünï":    "value-of-ünï ✓",
		"spaces": "  value-of-spaces  ",
	}
	resp := Response(want)
	if !strings.HasSuffix(string(resp), "}\n") || strings.Count(string(resp), "\n") != 1 {
		t.Errorf("Response is not one line of JSON: %q", resp)
	}
	if !strings.Contains(string(resp), "<&>") {
		t.Errorf("Response escapes HTML characters, unlike the SDK: %s", resp)
	}
	if err := CheckValues(want)(resp); err != nil {
		t.Errorf("CheckValues refuses Response: %v", err)
	}
	if err := CheckValues(map[string]string{})(Response(nil)); err != nil {
		t.Errorf("empty batch: %v", err)
	}
}

func TestCheckValuesRefusesWithoutShowingValues(t *testing.T) {
	want := map[string]string{"db": "value-of-db", "api": "value-of-api"}
	for _, tc := range []struct {
		name, stdout string
		wantIn       []string
	}{
		{"wrong value", `{"protocolVersion":1,"values":{"db":"value-of-api","api":"value-of-api"}}`, []string{`id "db": wrong value`}},
		{"trimmed value", `{"protocolVersion":1,"values":{"db":"value-of-db ","api":"value-of-api"}}`, []string{`id "db": wrong value (12 bytes, want 11)`}},
		{"missing id", `{"protocolVersion":1,"values":{"api":"value-of-api"}}`, []string{`missing ids "db"`}},
		{"extra id", `{"protocolVersion":1,"values":{"db":"value-of-db","api":"value-of-api","x":"value-of-x"}}`, []string{`ids not asked for "x"`}},
		{"number value", `{"protocolVersion":1,"values":{"db":12345,"api":"value-of-api"}}`, []string{`id "db": value is a number, not a string`}},
		{"null value", `{"protocolVersion":1,"values":{"db":null,"api":"value-of-api"}}`, []string{`id "db": value is null`}},
		{"errors entry", `{"protocolVersion":1,"values":{"api":"value-of-api"},"errors":{"db":{"code":"NOT_FOUND","message":"no such secret"}}}`, []string{`errors for "db" (NOT_FOUND: no such secret)`}},
		{"version 2", `{"protocolVersion":2,"values":{"db":"value-of-db","api":"value-of-api"}}`, []string{"protocolVersion is 2, want 1"}},
		{"version string", `{"protocolVersion":"1","values":{"db":"value-of-db","api":"value-of-api"}}`, []string{"protocolVersion is a string, want 1"}},
		{"no version", `{"values":{"db":"value-of-db","api":"value-of-api"}}`, []string{"protocolVersion is missing"}},
		{"no values", `{"protocolVersion":1}`, []string{`no "values" object`}},
		{"unknown member", `{"protocolVersion":1,"values":{},"value-of-db":1}`, []string{"a member besides protocolVersion, values and errors"}},
		{"two values", `{"protocolVersion":1,"values":{"db":"value-of-db","api":"value-of-api"}} {}`, []string{"more than one JSON value"}},
		{"raw value", `value-of-db`, []string{"invalid JSON at byte"}},
		{"bare number", `123456`, []string{"a number where an object was expected"}},
		{"string", `"value-of-db"`, []string{"a string where an object was expected"}},
		{"empty", ``, []string{"empty"}},
		{"truncated", `{"protocolVersion":1,"values":{"db":"value-of-db"`, []string{"truncated JSON"}},
		{"values not an object", `{"protocolVersion":1,"values":["value-of-db"]}`, []string{`an array where an object was expected for "values"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckValues(want)([]byte(tc.stdout))
			if err == nil {
				t.Fatal("accepted")
			}
			for _, part := range tc.wantIn {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q lacks %q", err, part)
				}
			}
			if strings.Contains(err.Error(), "value-of") || strings.Contains(err.Error(), "123") {
				t.Errorf("error %q shows a value", err)
			}
		})
	}
}

func TestCheckValuesAcceptsTheNodeResolversShape(t *testing.T) {
	want := map[string]string{"db": "value-of-db"}
	stdout := "{\n  \"protocolVersion\": 1,\n  \"values\": {\"db\": \"value-of-db\"},\n  \"errors\": {}\n}\n"
	if err := CheckValues(want)([]byte(stdout)); err != nil {
		t.Errorf("an empty errors object and indentation refused: %v", err)
	}
}

func TestCheckRaw(t *testing.T) {
	const want = "value-of-sops/db"
	for _, ok := range []string{want, want + "\n", "  " + want + " \r\n", `"value-of-sops/db"`, "\ufeff" + want} {
		if err := CheckRaw(want)([]byte(ok)); err != nil {
			t.Errorf("CheckRaw(%q) refuses %q: %v", want, ok, err)
		}
	}
	for _, bad := range []string{"value-of-sops/api", "", "   \n", "12345", `{"protocolVersion":1,"values":{}}`, "[REDACTED]"} {
		err := CheckRaw(want)([]byte(bad))
		if err == nil {
			t.Errorf("CheckRaw(%q) accepts %q", want, bad)
			continue
		}
		if strings.Contains(err.Error(), "value-of") || strings.Contains(err.Error(), "12345") {
			t.Errorf("error %q shows a value", err)
		}
	}
	if err := CheckRaw("x y")([]byte("x  y")); err == nil || !strings.Contains(err.Error(), "wrong value (4 bytes, want 3)") {
		t.Errorf("inner whitespace: got %v", err)
	}
}
