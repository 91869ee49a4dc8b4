package gatewayconfig

import (
	"errors"
	"math"
	"reflect"
	"testing"
)

func TestParseJSON5PlainValues(t *testing.T) {
	v, err := ParseJSON5([]byte(`{a: [1, 'x', null, true, {b: -0}], a2: {}, "c": .5e1, d: 0x10, d: 17,}`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"a":  []any{1.0, "x", nil, true, map[string]any{"b": math.Copysign(0, -1)}},
		"a2": map[string]any{},
		"c":  5.0,
		"d":  17.0, // the last duplicate wins
	}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("got %#v\nwant %#v", v, want)
	}
	if b := v.(map[string]any)["a"].([]any)[4].(map[string]any)["b"].(float64); !math.Signbit(b) {
		t.Error("-0 lost its sign")
	}
}

func TestParseJSON5Strings(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`"\uD83D\uDE00"`, "😀"},               // escaped surrogates pair up
		{`"a\uD800b"`, "a\uFFFDb"},            // a lone one becomes U+FFFD
		{"\"x\xffy\"", "x\uFFFDy"},            // invalid UTF-8, as Node decodes it
		{"\"\xe2\x82z\"", "\uFFFDz"},          // a truncated sequence is one U+FFFD
		{"'a\\\r\nb'", "ab"},                  // line continuation over CRLF
		{`"\x41\0\v"`, "A\x00\v"},             // hex, NUL, vertical tab
		{`"\q\'"`, "q'"},                      // identity escapes
		{"\ufeff'bom'", "bom"},                // a BOM is whitespace
		{`"tab	in string"`, "tab\tin string"}, // a raw tab is fine
	} {
		got, err := ParseJSON5([]byte(c.in))
		if err != nil || got != c.want {
			t.Errorf("ParseJSON5(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestParseJSON5Errors(t *testing.T) {
	for _, c := range []struct {
		in, msg   string
		line, col int
	}{
		{"{\n  a: 1,\n  b: @\n}", "JSON5: invalid character '@' at 3:6", 3, 6},
		{`{a: "abc`, "JSON5: invalid end of input at 1:9", 1, 9},
		{"01", "JSON5: invalid character '1' at 1:2", 1, 2},
		{"{a: undefined}", "JSON5: invalid character 'u' at 1:5", 1, 5},
		{"[\"😀\" x]", "JSON5: invalid character 'x' at 1:7", 1, 7}, // columns count UTF-16 units
		{`{\u0030: 1}`, "JSON5: invalid identifier character at 1:2", 1, 2},
		{"{} /* open", "JSON5: invalid end of input at 1:11", 1, 11},
		{"[1]\x01", `JSON5: invalid character '\x01' at 1:4`, 1, 4},
	} {
		_, err := ParseJSON5([]byte(c.in))
		var se *SyntaxError
		if !errors.As(err, &se) || !errors.Is(err, ErrSyntax) {
			t.Errorf("ParseJSON5(%q): error %v is not a *SyntaxError wrapping ErrSyntax", c.in, err)
			continue
		}
		if se.Error() != c.msg || se.Line != c.line || se.Column != c.col {
			t.Errorf("ParseJSON5(%q): %q at %d:%d, want %q at %d:%d", c.in, se.Error(), se.Line, se.Column, c.msg, c.line, c.col)
		}
	}
}

func TestParseJSON5KeyOrder(t *testing.T) {
	v, err := parseJSON5([]byte(`{b: 1, "10": 2, a: 3, "2": 4, b: 5}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := v.(*object).keys(), []string{"2", "10", "b", "a"}; !reflect.DeepEqual(got, want) {
		t.Errorf("keys %q, want %q (JavaScript's order: indices first, then insertion order)", got, want)
	}
}
