package conformance

import (
	"strings"
	"testing"
)

// The suite reads stdout as the real gateway does (parseExecValues in
// openclaw@2026.9.6: stdout.trim(), JSON.parse, protocolVersion !== 1):
// what it accepts passes, with a warning where another host may not.
func TestResponseReadAsTheGatewayReadsIt(t *testing.T) {
	const rest = `"values":{"a":"v"}}`
	for _, tc := range []struct {
		name, stdout, warning string
	}{
		{"plain", `{"protocolVersion":1,` + rest, ""},
		{"trailing newline", `{"protocolVersion":1,` + rest + "\n", ""},
		{"byte order mark", "\uFEFF" + `{"protocolVersion":1,` + rest, "byte order mark"},
		{"no-break space", "\u00a0" + `{"protocolVersion":1,` + rest, "Unicode whitespace"},
		{"1.0", `{"protocolVersion":1.0,` + rest, "written 1.0"},
		{"1e0", `{"protocolVersion":1e0,` + rest, "written 1e0"},
		{"null errors", `{"protocolVersion":1,"errors":null,` + rest, `"errors" is null`},
	} {
		r, err := parseStrict([]byte(tc.stdout), []string{"a"})
		switch {
		case err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.warning == "" && len(r.warnings) != 0:
			t.Errorf("%s: warnings %q", tc.name, r.warnings)
		case tc.warning != "" && (len(r.warnings) != 1 || !strings.Contains(r.warnings[0], tc.warning)):
			t.Errorf("%s: warnings %q, want one about %q", tc.name, r.warnings, tc.warning)
		}
	}
}

// What the gateway fails is refused, with the gateway's own words.
func TestResponseRefusedAsTheGatewayRefusesIt(t *testing.T) {
	for stdout, want := range map[string]string{
		"":                                          `"returned empty stdout."`,
		"\uFEFF \n":                                 `"returned empty stdout."`,
		`{"protocolVersion":"1","values":{}}`:       `protocolVersion is a string, want the number 1: the gateway fails the whole provider ("protocolVersion must be 1.")`,
		`{"protocolVersion":2,"values":{}}`:         `protocolVersion is 2, want 1`,
		`{"protocolVersion":1.5,"values":{}}`:       `protocolVersion is 1.5, want 1`,
		`{"protocolVersion":1,"errors":{}}`:         `"values" is missing, even if every id failed`,
		`{"protocolVersion":1,"values":null}`:       `("response missing \"values\".")`,
		`log line` + "\n" + `{"protocolVersion":1}`: `("returned invalid JSON.")`,
		`[]`: `("response must be an object.")`,
		`{"protocolVersion":1,"values":{},"errors":{"a":"NOT_FOUND"}}`:                      `SECRET_REF_PROVIDER_ERROR and loses the code`,
		`{"protocolVersion":1,"values":{},"errors":{"a":{"code":"NOT_FOUND","message":5}}}`: `the gateway never reads messages`,
	} {
		_, err := parseStrict([]byte(stdout), nil)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", stdout, err, want)
		}
	}
}
