package gatewayconfig

import (
	"reflect"
	"strings"
	"testing"
)

func TestSubstituteString(t *testing.T) {
	env := envOf(map[string]string{"A": "alpha", "B_2": "beta", "EMPTY": "", "lower": "no"})
	for _, c := range []struct {
		in, want string
		missing  []string
	}{
		{"${A}", "alpha", nil},
		{"x-${A}-${B_2}-y", "x-alpha-beta-y", nil},
		{"$${A}", "${A}", nil},        // escaped
		{"$$${A}", "$${A}", nil},      // a dollar, then an escape
		{"${lower}", "${lower}", nil}, // only upper-case names
		{"${UNSET}", "${UNSET}", []string{"UNSET"}},
		{"${EMPTY}", "${EMPTY}", []string{"EMPTY"}}, // empty counts as missing
		{"$A ${ ${A", "$A ${ ${A", nil},
		{"${A}}", "alpha}", nil},
		{"${}", "${}", nil},
	} {
		var missing []MissingVar
		got := substituteString(c.in, env, "p", &missing)
		var names []string
		for _, m := range missing {
			names = append(names, m.Name)
		}
		if got != c.want || !reflect.DeepEqual(names, c.missing) {
			t.Errorf("substitute(%q) = %q, missing %v; want %q, %v", c.in, got, names, c.want, c.missing)
		}
	}
	if containsEnvReference("$${A} only") || !containsEnvReference("x ${A}") {
		t.Error("containsEnvReference misreads escapes")
	}
}

func TestConfigSubstitute(t *testing.T) {
	cfg := loadDoc(t, `{
		env: {vars: {KEEP: "${BIN}"}},
		secrets: {providers: {v: {source: "exec", command: "${BIN}/resolver", args: ["--token=${TOKEN}"], passEnv: ["${BIN}"]}}},
		models: {providers: {openai: {apiKey: {source: "exec", provider: "v", id: "${ID}"}}}},
	}`)
	if _, ok := cfg.Invalid["v"]; !ok {
		t.Error("before substitution the command is not absolute: want the block in Invalid")
	}
	sub, err := cfg.Substitute(envOf(map[string]string{"BIN": "/opt/bin", "ID": "openai/key"}))
	if err != nil {
		t.Fatal(err)
	}
	p, ok := sub.Providers["v"]
	if ok {
		t.Errorf("passEnv %q is not a variable name, the block stays invalid: %+v", p.PassEnv, p)
	}
	if got := sub.Invalid["v"]; got == nil || !strings.Contains(got.Error(), `passEnv[0]: "/opt/bin" must match`) {
		t.Errorf("Invalid[v] = %v", got)
	}
	if len(sub.Refs) != 1 || sub.Refs[0].ID != "openai/key" {
		t.Errorf("Refs = %+v", sub.Refs)
	}
	want := []MissingVar{{Path: "secrets.providers.v.args[0]", Name: "TOKEN"}}
	if !reflect.DeepEqual(sub.Missing, want) {
		t.Errorf("Missing = %+v, want %+v", sub.Missing, want)
	}
	if vars, _, _, _ := sub.envBlock(); len(vars) != 0 {
		t.Errorf("the env block is read before substitution (a ${} value is not applied): %v", vars)
	}
}
