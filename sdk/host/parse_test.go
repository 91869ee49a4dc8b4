package host

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/policy"
)

// Provider-level failures of ParseResponse: no results, one *ProviderError
// with the gateway's sentence.
func TestParseResponseProviderFailures(t *testing.T) {
	cases := []struct {
		name     string
		stdout   string
		ids      []string
		jsonOnly bool
		want     error
		msg      string
	}{
		{"empty", "", []string{"a"}, true, ErrEmptyStdout, `Exec provider "vault" returned empty stdout.`},
		{"whitespace", " \n\t\r\n\ufeff\u00a0", []string{"a"}, true, ErrEmptyStdout, `Exec provider "vault" returned empty stdout.`},
		{"empty raw mode", "\n", []string{"a"}, false, ErrEmptyStdout, `Exec provider "vault" returned empty stdout.`},
		{"not JSON", "hunter2", []string{"a"}, true, ErrInvalidJSON, `Exec provider "vault" returned invalid JSON.`},
		{"truncated", `{"protocolVersion":1,"values":{`, []string{"a"}, true, ErrInvalidJSON, `Exec provider "vault" returned invalid JSON.`},
		{"two values", `{"protocolVersion":1,"values":{}} {}`, []string{"a"}, true, ErrInvalidJSON, `Exec provider "vault" returned invalid JSON.`},
		{"trailing garbage", `{"protocolVersion":1,"values":{}}x`, []string{"a"}, true, ErrInvalidJSON, `Exec provider "vault" returned invalid JSON.`},
		{"raw text, two ids", "hunter2", []string{"a", "b"}, false, ErrInvalidJSON, `Exec provider "vault" returned invalid JSON.`},
		{"array", `[1]`, []string{"a"}, true, ErrNotObject, `Exec provider "vault" response must be an object.`},
		{"null", `null`, []string{"a"}, true, ErrNotObject, `Exec provider "vault" response must be an object.`},
		{"string jsonOnly", `"s3cret"`, []string{"a"}, true, ErrNotObject, `Exec provider "vault" response must be an object.`},
		{"string two ids", `"s3cret"`, []string{"a", "b"}, false, ErrNotObject, `Exec provider "vault" response must be an object.`},
		{"number raw mode", `42`, []string{"a"}, false, ErrNotObject, `Exec provider "vault" response must be an object.`},
		{"bool raw mode", `true`, []string{"a"}, false, ErrNotObject, `Exec provider "vault" response must be an object.`},
		{"null raw mode", `null`, []string{"a"}, false, ErrNotObject, `Exec provider "vault" response must be an object.`},
		{"array raw mode", `["x"]`, []string{"a"}, false, ErrNotObject, `Exec provider "vault" response must be an object.`},
		{"no version", `{"values":{"a":"x"}}`, []string{"a"}, true, ErrProtocolVersion, `Exec provider "vault" protocolVersion must be 1.`},
		{"version 2", `{"protocolVersion":2,"values":{"a":"x"}}`, []string{"a"}, true, ErrProtocolVersion, `Exec provider "vault" protocolVersion must be 1.`},
		{"version string", `{"protocolVersion":"1","values":{"a":"x"}}`, []string{"a"}, true, ErrProtocolVersion, `Exec provider "vault" protocolVersion must be 1.`},
		{"version true", `{"protocolVersion":true,"values":{}}`, []string{"a"}, true, ErrProtocolVersion, `Exec provider "vault" protocolVersion must be 1.`},
		{"version 1.5", `{"protocolVersion":1.5,"values":{}}`, []string{"a"}, true, ErrProtocolVersion, `Exec provider "vault" protocolVersion must be 1.`},
		{"version huge", `{"protocolVersion":1e400,"values":{}}`, []string{"a"}, true, ErrProtocolVersion, `Exec provider "vault" protocolVersion must be 1.`},
		{"object raw mode, no version", `{"a":"x"}`, []string{"a"}, false, ErrProtocolVersion, `Exec provider "vault" protocolVersion must be 1.`},
		{"no values", `{"protocolVersion":1}`, []string{"a"}, true, ErrMissingValues, `Exec provider "vault" response missing "values".`},
		{"values null", `{"protocolVersion":1,"values":null}`, []string{"a"}, true, ErrMissingValues, `Exec provider "vault" response missing "values".`},
		{"values array", `{"protocolVersion":1,"values":["x"]}`, []string{"a"}, true, ErrMissingValues, `Exec provider "vault" response missing "values".`},
		{"values string", `{"protocolVersion":1,"values":"x"}`, []string{"a"}, true, ErrMissingValues, `Exec provider "vault" response missing "values".`},
		{"errors only", `{"protocolVersion":1,"errors":{"a":{"code":"NOT_FOUND"}}}`, []string{"a"}, true, ErrMissingValues, `Exec provider "vault" response missing "values".`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseResponse("vault", []byte(c.stdout), c.ids, c.jsonOnly)
			if got != nil {
				t.Errorf("results %v alongside a provider failure", got)
			}
			if !errors.Is(err, c.want) || err.Error() != c.msg {
				t.Fatalf("got %v, want %q", err, c.msg)
			}
			var pe *ProviderError
			if !errors.As(err, &pe) || pe.Provider != "vault" {
				t.Fatalf("not a *ProviderError for vault: %#v", err)
			}
			if UserCode(err) != CodeProviderUnavailable {
				t.Errorf("UserCode %s", UserCode(err))
			}
			if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "s3cret") {
				t.Error("value in message")
			}
		})
	}
}

// want describes one id's expected result: a value, or an error matched
// by errors.Is with an exact message.
type want struct {
	value any
	err   error
	msg   string
}

func TestParseResponsePerID(t *testing.T) {
	cases := []struct {
		name     string
		stdout   string
		ids      []string
		jsonOnly bool
		want     map[string]want
	}{
		{"values", `{"protocolVersion":1,"values":{"a":"x","b":"y","extra":"z"}}`, []string{"a", "b"}, true,
			map[string]want{"a": {value: "x"}, "b": {value: "y"}}},
		{"version 1.0", `{"protocolVersion":1.0,"values":{"a":"x"}}`, []string{"a"}, true,
			map[string]want{"a": {value: "x"}}},
		{"surrounding whitespace", "\n  {\"protocolVersion\":1,\"values\":{\"a\":\" x \"}}\n\n", []string{"a"}, true,
			map[string]want{"a": {value: " x "}}},
		{"missing id", `{"protocolVersion":1,"values":{"a":"x"}}`, []string{"a", "b"}, true,
			map[string]want{"a": {value: "x"}, "b": {err: ErrMissingID, msg: `Exec provider "vault" response missing id "b".`}}},
		{"error entry", `{"protocolVersion":1,"values":{"a":"x"},"errors":{"b":{"code":"NOT_FOUND","message":"no such secret"}}}`, []string{"a", "b"}, true,
			map[string]want{"a": {value: "x"}, "b": {err: protocol.NotFound, msg: "NOT_FOUND: no such secret"}}},
		{"error wins over value", `{"protocolVersion":1,"values":{"a":"x"},"errors":{"a":{"code":"AMBIGUOUS_DUPLICATE_KEY"}}}`, []string{"a"}, true,
			map[string]want{"a": {err: protocol.AmbiguousDuplicateKey, msg: "AMBIGUOUS_DUPLICATE_KEY"}}},
		{"error without code", `{"protocolVersion":1,"values":{},"errors":{"a":{"message":"m"}}}`, []string{"a"}, true,
			map[string]want{"a": {err: protocol.Code(""), msg: ": m"}}},
		{"error not an object", `{"protocolVersion":1,"values":{},"errors":{"a":"boom"}}`, []string{"a"}, true,
			map[string]want{"a": {err: protocol.Code(""), msg: ""}}},
		{"error null", `{"protocolVersion":1,"values":{"a":"x"},"errors":{"a":null}}`, []string{"a"}, true,
			map[string]want{"a": {err: protocol.Code(""), msg: ""}}},
		{"error code not a string", `{"protocolVersion":1,"values":{},"errors":{"a":{"code":7}}}`, []string{"a"}, true,
			map[string]want{"a": {err: protocol.Code(""), msg: ""}}},
		{"unknown code kept", `{"protocolVersion":1,"values":{},"errors":{"a":{"code":"QUOTA"}}}`, []string{"a"}, true,
			map[string]want{"a": {err: protocol.Code("QUOTA"), msg: "QUOTA"}}},
		{"errors not an object is ignored", `{"protocolVersion":1,"values":{"a":"x"},"errors":["a"]}`, []string{"a"}, true,
			map[string]want{"a": {value: "x"}}},
		{"errors null is ignored", `{"protocolVersion":1,"values":{"a":"x"},"errors":null}`, []string{"a"}, true,
			map[string]want{"a": {value: "x"}}},
		{"errors string is ignored", `{"protocolVersion":1,"values":{},"errors":"a"}`, []string{"a"}, true,
			map[string]want{"a": {err: ErrMissingID, msg: `Exec provider "vault" response missing id "a".`}}},
		{"redacted", `{"protocolVersion":1,"values":{"a":"__OPENCLAW_REDACTED__","b":"  __OPENCLAW_REDACTED__\n"}}`, []string{"a", "b"}, true,
			map[string]want{
				"a": {value: "__OPENCLAW_REDACTED__", err: ErrRedactedValue, msg: `Secret reference "exec:vault:a" resolves to a redaction placeholder`},
				"b": {value: "  __OPENCLAW_REDACTED__\n", err: ErrRedactedValue, msg: `Secret reference "exec:vault:b" resolves to a redaction placeholder`}}},
		{"not strings", `{"protocolVersion":1,"values":{"n":42,"o":{"k":"v"},"l":["v"],"t":true,"z":null,"e":"","w":" \n\t"}}`,
			[]string{"n", "o", "l", "t", "z", "e", "w"}, true,
			map[string]want{
				"n": {value: float64(42), err: ErrNotString, msg: `Secret reference "exec:vault:n" resolved to a non-string or empty value.`},
				"o": {value: map[string]any{"k": "v"}, err: ErrNotString, msg: `Secret reference "exec:vault:o" resolved to a non-string or empty value.`},
				"l": {value: []any{"v"}, err: ErrNotString, msg: `Secret reference "exec:vault:l" resolved to a non-string or empty value.`},
				"t": {value: true, err: ErrNotString, msg: `Secret reference "exec:vault:t" resolved to a non-string or empty value.`},
				"z": {value: nil, err: ErrNotString, msg: `Secret reference "exec:vault:z" resolved to a non-string or empty value.`},
				"e": {value: "", err: ErrNotString, msg: `Secret reference "exec:vault:e" resolved to a non-string or empty value.`},
				"w": {value: " \n\t", err: ErrNotString, msg: `Secret reference "exec:vault:w" resolved to a non-string or empty value.`},
			}},
		{"number beyond float64 is Infinity", `{"protocolVersion":1,"values":{"a":1e400}}`, []string{"a"}, true,
			map[string]want{"a": {value: math.Inf(1), err: ErrNotString, msg: `Secret reference "exec:vault:a" resolved to a non-string or empty value.`}}},
		{"raw text single id", "  hunter2 \n", []string{"a"}, false,
			map[string]want{"a": {value: "hunter2"}}},
		{"raw text keeps inner whitespace", "pass word\nline2\n", []string{"a"}, false,
			map[string]want{"a": {value: "pass word\nline2"}}},
		{"raw text invalid UTF-8", "ab\xffcd", []string{"a"}, false,
			map[string]want{"a": {value: "ab\uFFFDcd"}}},
		{"raw redacted", "__OPENCLAW_REDACTED__\n", []string{"a"}, false,
			map[string]want{"a": {value: "__OPENCLAW_REDACTED__", err: ErrRedactedValue, msg: `Secret reference "exec:vault:a" resolves to a redaction placeholder`}}},
		{"raw JSON string", `"hunter2"`, []string{"a"}, false,
			map[string]want{"a": {value: "hunter2"}}},
		{"raw JSON empty string", `""`, []string{"a"}, false,
			map[string]want{"a": {value: "", err: ErrNotString, msg: `Secret reference "exec:vault:a" resolved to a non-string or empty value.`}}},
		{"raw mode full protocol", `{"protocolVersion":1,"values":{"a":"x"}}`, []string{"a"}, false,
			map[string]want{"a": {value: "x"}}},
		{"raw mode two ids full protocol", `{"protocolVersion":1,"values":{"a":"x","b":"y"}}`, []string{"a", "b"}, false,
			map[string]want{"a": {value: "x"}, "b": {value: "y"}}},
		{"duplicate keys: last wins", `{"protocolVersion":1,"values":{"a":"x","a":"y"}}`, []string{"a"}, true,
			map[string]want{"a": {value: "y"}}},
		{"no ids", `{"protocolVersion":1,"values":{}}`, nil, true, map[string]want{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseResponse("vault", []byte(c.stdout), c.ids, c.jsonOnly)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %d results, want %d: %v", len(got), len(c.want), got)
			}
			for id, w := range c.want {
				checkResult(t, id, got[id], w)
			}
		})
	}
}

func checkResult(t *testing.T, id string, r Result, w want) {
	t.Helper()
	if !reflect.DeepEqual(r.Value, w.value) {
		t.Errorf("%s: value %#v, want %#v", id, r.Value, w.value)
	}
	switch {
	case w.err == nil && r.Err != nil:
		t.Errorf("%s: unexpected error %v", id, r.Err)
	case w.err != nil && !errors.Is(r.Err, w.err):
		t.Errorf("%s: error %v, want %v", id, r.Err, w.err)
	case w.err != nil && r.Err.Error() != w.msg:
		t.Errorf("%s: message %q, want %q", id, r.Err.Error(), w.msg)
	}
}

// A resolver's error entry comes back as the *protocol.Error it sent.
func TestParseResponseResolverError(t *testing.T) {
	got, err := ParseResponse("vault", []byte(`{"protocolVersion":1,"values":{},"errors":{"a":{"code":"PERMISSION_DENIED","message":"policy x"}}}`), []string{"a"}, true)
	if err != nil {
		t.Fatal(err)
	}
	var pe *protocol.Error
	if !errors.As(got["a"].Err, &pe) || *pe != (protocol.Error{Code: protocol.PermissionDenied, Message: "policy x"}) {
		t.Fatalf("got %#v", got["a"].Err)
	}
	if got["a"].Value != nil {
		t.Fatal("a failed id has a value")
	}
}

func TestUserCode(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{&protocol.Error{Code: protocol.NotFound}, CodeRefNotFound},
		{&protocol.Error{Code: protocol.AmbiguousDuplicateKey}, CodeRefProviderError},
		{&protocol.Error{Code: protocol.InvalidID}, CodeRefProviderError},
		{&protocol.Error{Code: "SOMETHING"}, CodeRefProviderError},
		{&protocol.Error{}, CodeRefProviderError},
		{&ProviderError{Err: ErrMissingID}, CodeRefNotFound},
		{&ProviderError{Err: ErrRedactedValue}, CodeRefRedactedValue},
		{&ProviderError{Err: ErrNotString}, CodeRefProviderError},
		{&refError{text: "x", err: protocol.InvalidID}, CodeRefInvalid},
		{protocol.ValidateProvider("Bad"), CodeRefInvalid},
		{&ProviderError{Err: ErrTooManyRefs}, CodeProviderInvalid},
		{&ProviderError{Err: ErrBatchTooLarge}, CodeProviderInvalid},
		{Provider{}.Validate(), CodeProviderInvalid},
		{policy.CheckCommand("vault", "~/r", nil), CodeProviderInvalid},
		{policy.CheckCommand("vault", "/nonexistent/r", nil), CodeProviderUnavailable},
		{&ProviderError{Err: ErrTimeout}, CodeProviderUnavailable},
		{&ProviderError{Err: ErrExit}, CodeProviderUnavailable},
		{&ProviderError{Err: ErrInvalidJSON}, CodeProviderUnavailable},
		{&ProviderError{Err: ErrStart}, CodeProviderUnavailable},
		{errors.New("policy or anything else"), CodeProviderUnavailable},
	}
	for _, c := range cases {
		if got := UserCode(c.err); got != c.want {
			t.Errorf("UserCode(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

func TestProviderErrorMessages(t *testing.T) {
	cases := []struct {
		err  *ProviderError
		want string
	}{
		{&ProviderError{Provider: "vault", Err: ErrTimeout, Limit: 5000}, `Exec provider "vault" timed out after 5000ms.`},
		{&ProviderError{Provider: "vault", Err: ErrNoOutputTimeout, Limit: 250}, `Exec provider "vault" produced no output for 250ms.`},
		{&ProviderError{Provider: "vault", Err: ErrOutputLimit, Limit: 1048576}, `Exec provider output exceeded maxOutputBytes (1048576).`},
		{&ProviderError{Provider: "vault", Err: ErrExit, ExitCode: 78}, `Exec provider "vault" exited with code 78.`},
		{&ProviderError{Provider: "vault", Err: ErrExit, ExitCode: -1, Signal: "SIGKILL"}, `Exec provider "vault" exited with code null (signal SIGKILL).`},
		{&ProviderError{Provider: "vault", Err: ErrEmptyStdout}, `Exec provider "vault" returned empty stdout.`},
		{&ProviderError{Provider: "vault", Err: ErrInvalidJSON}, `Exec provider "vault" returned invalid JSON.`},
		{&ProviderError{Provider: "vault", Err: ErrNotObject}, `Exec provider "vault" response must be an object.`},
		{&ProviderError{Provider: "vault", Err: ErrProtocolVersion}, `Exec provider "vault" protocolVersion must be 1.`},
		{&ProviderError{Provider: "vault", Err: ErrMissingValues}, `Exec provider "vault" response missing "values".`},
		{&ProviderError{Provider: "vault", Err: ErrTooManyRefs, Limit: 512}, `Exec provider "vault" exceeded maxRefsPerProvider (512).`},
		{&ProviderError{Provider: "vault", Err: ErrBatchTooLarge, Limit: 262144}, `Exec provider "vault" request exceeded maxBatchBytes (262144).`},
		{&ProviderError{Provider: "vault", Err: ErrMissingID, ID: "a/b#c"}, `Exec provider "vault" response missing id "a/b#c".`},
		{&ProviderError{Provider: "vault", Err: ErrStart, Cause: errors.New("exec format error")}, `Exec provider "vault" could not be started: exec format error.`},
		{&ProviderError{Provider: "vault", Err: ErrStart}, `Exec provider "vault" could not be started: unknown error.`},
		{&ProviderError{Provider: "vault", Err: errors.New("context canceled")}, `Exec provider "vault" was stopped: context canceled.`},
	}
	for _, c := range cases {
		if got := c.err.Error(); got != c.want {
			t.Errorf("got  %q\nwant %q", got, c.want)
		}
		if !errors.Is(c.err, c.err.Err) {
			t.Errorf("%q does not unwrap to its sentinel", c.want)
		}
	}
}

func TestCheckBatch(t *testing.T) {
	if err := checkBatch("vault", make([]byte, MaxBatchBytes)); err != nil {
		t.Fatalf("exactly maxBatchBytes refused: %v", err)
	}
	err := checkBatch("vault", make([]byte, MaxBatchBytes+1))
	if !errors.Is(err, ErrBatchTooLarge) || err.Error() != `Exec provider "vault" request exceeded maxBatchBytes (262144).` {
		t.Fatalf("got %v", err)
	}
}
