package sops

import (
	"errors"
	"testing"

	"github.com/execref/execref/protocol"
)

// Numbers and booleans come out as `sops -d --extract '["k"]' FILE`
// prints them, which depends on the file's format: YAML's emitter writes
// floats in Go's shortest 'g' form, JSON's in encoding/json's form. The
// expectations were taken from the sops 3.13.3 CLI (the version in
// go.mod), less the newline the YAML emitter ends a document with.
func TestNumbersAsSopsPrintsThem(t *testing.T) {
	cases := []struct {
		format, text string
		want         map[string]string
	}{
		{"yaml", `
a: 1e21
b: 1.5e300
c: 1e20
d: 3.25
e: 100000.0
f: 1e6
g: 18446744073709551616
h: 0x1F
i: 5432
j: -0.0
k: .inf
l: true
m: 1.0
n: 0.000001
o: 1e-7
q: 0o17
r: 2001-12-14t21:59:43.10-05:00
`, map[string]string{
			"a": "1e+21", "b": "1.5e+300", "c": "1e+20", "d": "3.25", "e": "100000", "f": "1e+06",
			"g": "1.8446744073709552e+19", "h": "31", "i": "5432", "j": "-0", "k": ".inf", "l": "true",
			"m": "1", "n": "1e-06", "o": "1e-07", "q": "15", "r": "2001-12-14T21:59:43.1-05:00",
		}},
		{"json", `{"a":1e21,"b":1.5e300,"c":1e20,"d":3.25,"e":100000.0,"f":1e6,"g":18446744073709551616,"i":5432,"j":-0.0,"l":true,"m":1.0,"n":0.000001,"o":1e-7}`,
			map[string]string{
				"a": "1e+21", "b": "1.5e+300", "c": "100000000000000000000", "d": "3.25", "e": "100000", "f": "1000000",
				"g": "18446744073709552000", "i": "5432", "j": "-0", "l": "true", "m": "1", "n": "0.000001", "o": "1e-7",
			}},
	}
	r := &Resolver{}
	for _, c := range cases {
		doc := plainTree(t, c.format, c.text)
		for key, want := range c.want {
			got, err := r.selectValue(doc, file{format: c.format}, []string{key})
			if err != nil || got != want {
				t.Errorf("%s %s: got %q, %v; want %q", c.format, key, got, err, want)
			}
		}
	}
}

// A count reads as English: "a map of 1 key", "a list of 2 items".
func TestKindCounts(t *testing.T) {
	doc := plainTree(t, "yaml", "one: {a: x}\ntwo: {a: x, b: y}\nlist1: [x]\nlist2: [x, y]\n")
	r := &Resolver{}
	want := map[string]string{
		"one":   `"/one" in the default file is a map of 1 key; ask for one of its members, or pass --json to get it as JSON`,
		"two":   `"/two" in the default file is a map of 2 keys; ask for one of its members, or pass --json to get it as JSON`,
		"list1": `"/list1" in the default file is a list of 1 item; ask for one of its members, or pass --json to get it as JSON`,
		"list2": `"/list2" in the default file is a list of 2 items; ask for one of its members, or pass --json to get it as JSON`,
	}
	for key, msg := range want {
		_, err := r.selectValue(doc, file{format: "yaml"}, []string{key})
		if !errors.Is(err, protocol.InvalidValue) || protocol.MessageOf(err) != msg {
			t.Errorf("%s: %v\nwant %s", key, err, msg)
		}
	}
	_, err := r.selectValue(doc, file{format: "yaml"}, []string{"list1", "3"})
	if want := `"/list1" in the default file has 1 item, no index 3`; protocol.MessageOf(err) != want {
		t.Errorf("index past the end: %v\nwant %s", err, want)
	}
}
