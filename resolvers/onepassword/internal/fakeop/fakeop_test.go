package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// account writes an account for run to read and returns its log's path.
func account(t *testing.T, d Data) string {
	t.Helper()
	dir := t.TempDir()
	d.Log = filepath.Join(dir, "log")
	raw, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "fakeop.json")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FAKEOP_DATA", path)
	return d.Log
}

func sample() Data {
	return Data{Vaults: []Vault{
		{ID: "vault1", Name: "Prod", Items: []Item{
			{ID: "item1", Title: "db", Sections: []Section{{ID: "s1", Label: "admin"}, {ID: "s2", Label: "ops"}},
				Fields: []Field{
					{ID: "f1", Label: "password", Value: "pw"},
					{ID: "f2", Label: "user", Value: "admin-user", Section: "s1"},
					{ID: "f3", Label: "user", Value: "app-user"},
					{ID: "f4", Label: "twice", Value: "1"}, {ID: "f5", Label: "twice", Value: "2"},
					{ID: "f6", Label: "inner", Value: "1", Section: "s1"}, {ID: "f7", Label: "inner", Value: "2", Section: "s2"},
				},
				Files: []File{{ID: "file1", Name: "ca.pem", Content: "PEM\n"}}},
			{ID: "item2", Title: "twin"}, {ID: "item3", Title: "TWIN"},
		}},
	}}
}

// op runs the fake with args and stdin.
func op(stdin string, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	status := run(args, strings.NewReader(stdin), &stdout, &stderr)
	return status, stdout.String(), stderr.String()
}

var errorLine = regexp.MustCompile(`^\[ERROR\] \d{4}/\d\d/\d\d \d\d:\d\d:\d\d `)

func TestRead(t *testing.T) {
	account(t, sample())
	for _, tc := range []struct {
		args   []string
		status int
		stdout string
		stderr string
	}{
		{[]string{"read", "op://Prod/db/password"}, 0, "pw\n", ""},
		{[]string{"read", "--no-newline", "op://Prod/db/password"}, 0, "pw", ""},
		{[]string{"--cache=false", "read", "-n", "op://prod/DB/PASSWORD"}, 0, "pw", ""},
		{[]string{"read", "-n", "op://vault1/item1/f1"}, 0, "pw", ""},
		{[]string{"read", "-n", "op://Prod/db/admin/user"}, 0, "admin-user", ""},
		{[]string{"read", "-n", "op://Prod/db/ca.pem"}, 0, "PEM\n", ""},
		{[]string{"read", "-n", "op://Prod/db/password?attribute=type"}, 0, "concealed", ""},
		{[]string{"read", "-n", "op://Prod/db/user"}, 0, "app-user", ""}, // the default section's wins
		{[]string{"read", "-n", "op://Prod/db/twice"}, 1, "", `could not read secret 'op://Prod/db/twice': More than one field matches "twice"`},
		{[]string{"read", "-n", "op://Prod/db/inner"}, 1, "", `More than one field matches "inner"`},
		{[]string{"read", "-n", "op://Prod/twin/x"}, 1, "", `More than one item matches "twin". Try again and specify the item by its ID:`},
		{[]string{"read", "-n", "op://Nope/db/password"}, 1, "", `"Nope" isn't a vault in this account.`},
		{[]string{"read", "-n", "op://Prod/nope/password"}, 1, "", `"nope" isn't an item in the "Prod" vault. Specify the item with its UUID, name, or domain.`},
		{[]string{"read", "-n", "op://Prod/db/nope/user"}, 1, "", `"nope" isn't a section in the "db" item.`},
		{[]string{"read", "-n", "op://Prod/db/admin/password"}, 1, "", `"password" isn't a field in the "db" item.`},
		{[]string{"read", "-n", "op://Prod/db"}, 1, "", "not enough '/'"},
		{[]string{"read", "-n", "Prod/db/password"}, 1, "", "invalid secret reference"},
		{[]string{"read"}, 1, "", "accepts 1 arg(s), received 0"},
		{[]string{"read", "--bogus", "op://Prod/db/password"}, 1, "", "unknown flag: --bogus"},
		{[]string{"whoami"}, 1, "", `unknown command "whoami"`},
	} {
		status, stdout, stderr := op("", tc.args...)
		if status != tc.status || stdout != tc.stdout || !strings.Contains(stderr, tc.stderr) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %d, %q, %q", tc.args, status, stdout, stderr, tc.status, tc.stdout, tc.stderr)
		}
		if status != 0 && !errorLine.MatchString(stderr) {
			t.Errorf("%q: stderr is not op's [ERROR] line: %q", tc.args, stderr)
		}
	}
}

// The template syntax as 1Password documents it.
func TestInject(t *testing.T) {
	account(t, sample())
	t.Setenv("FAKEOP_VAULT", "Prod")
	for tpl, want := range map[string]string{
		"pw: {{ op://Prod/db/password }}\n":                "pw: pw\n",
		"pw: {{op://Prod/db/password}}":                    "pw: pw",
		"pw: {{   op://Prod/db/password   }}!":             "pw: pw!",
		"url=op://Prod/db/password;":                       "url=pw;",
		"x-op://Prod/db/password":                          "x-op://Prod/db/password", // preceded by "-": not a reference
		`{{ "{{ op://Prod/db/password }}" }}`:              "{{ op://Prod/db/password }}",
		"v: $FAKEOP_VAULT ${ fakeop_vault } ${NOPE:-dflt}": "v: Prod Prod dflt",
		"{{ op://${FAKEOP_VAULT}/db/password }}":           "pw",
		"no references":                                    "no references",
		"{{ not a reference }}":                            "{{ not a reference }}",
	} {
		status, stdout, stderr := op(tpl, "inject")
		if status != 0 || stdout != want {
			t.Errorf("%q: exit %d, %q (%s); want %q", tpl, status, stdout, stderr, want)
		}
	}
	status, stdout, stderr := op("a {{ op://Prod/db/password }} b {{ op://Prod/nope/x }}", "inject")
	if status != 1 || stdout != "" || !strings.Contains(stderr, `"nope" isn't an item`) {
		t.Errorf("a failing reference: exit %d, stdout %q, stderr %q", status, stdout, stderr)
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.tpl"), filepath.Join(dir, "out")
	if err := os.WriteFile(in, []byte("{{ op://Prod/db/password }}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if status, _, stderr := op("", "inject", "-i", in, "-o", out); status != 0 {
		t.Fatalf("inject -i -o: %s", stderr)
	}
	if got, _ := os.ReadFile(out); string(got) != "pw" {
		t.Errorf("inject -o wrote %q", got)
	}
	if status, _, stderr := op("", "inject", "-i", in, "-o", out); status != 1 || !strings.Contains(stderr, "--force") {
		t.Errorf("inject -o over a file without --force: exit %d, %q", status, stderr)
	}
}

func TestTokenHangAndLog(t *testing.T) {
	d := sample()
	d.Token = "ops_right"
	d.LogEnv = []string{"OP_SERVICE_ACCOUNT_TOKEN"}
	log := account(t, d)
	for token, says := range map[string]string{
		"":          "You are not currently signed in",
		"garbage":   "DecodeSACredentials",
		"ops_wrong": "(401) Unauthorized",
		"ops_right": "",
	} {
		t.Setenv("OP_SERVICE_ACCOUNT_TOKEN", token)
		status, _, stderr := op("", "read", "op://Prod/db/password")
		if (says == "") != (status == 0) || !strings.Contains(stderr, says) {
			t.Errorf("token %q: exit %d, %q; want %q", token, status, stderr, says)
		}
	}
	raw, _ := os.ReadFile(log)
	if strings.Contains(string(raw), "ops_right") || !strings.Contains(string(raw), "env OP_SERVICE_ACCOUNT_TOKEN len=9") {
		t.Errorf("log: %q", raw)
	}
	if status, stdout, _ := op("", "--version"); status != 0 || stdout != "2.31.1\n" {
		t.Errorf("--version: %d %q", status, stdout)
	}
}
