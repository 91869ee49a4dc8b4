package conformance_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/execref/execref/conformance"
	"github.com/execref/execref/sdk/sdktest"
)

func loadFixture(t testing.TB, name string) (*conformance.Fixture, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "fixtures", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := conformance.ParseFixture(data)
	if err != nil {
		t.Fatal(err)
	}
	return f, data
}

// reference installs the suite's reference resolver beside its fixture,
// with extra arguments (a mutation), and returns the target and fixture.
func reference(t testing.TB, args ...string) (string, *conformance.Fixture) {
	t.Helper()
	f, data := loadFixture(t, "reference.json")
	target := sdktest.Install(t, sdktest.Cached(t, "./testdata/resolver"), map[string][]byte{"fixture.json": data})
	f.Provider.Args = append(f.Provider.Args, args...)
	return target, f
}

func suite(t *testing.T, target string, f *conformance.Fixture, run string) *conformance.Report {
	t.Helper()
	opts := conformance.Options{Command: target}
	if run != "" {
		opts.Run = regexp.MustCompile(run)
	}
	report, err := conformance.Suite(context.Background(), f, opts)
	if err != nil {
		t.Fatal(err)
	}
	return report
}

func TestReferencePassesEveryCase(t *testing.T) {
	target, f := reference(t)
	conformance.Run(t, target, f)
	report := suite(t, target, f, "")
	passed, failed, skipped, warned := report.Counts()
	if !report.OK() || failed+warned+skipped != 0 || passed != len(conformance.Cases()) {
		var buf bytes.Buffer
		_ = report.WriteText(&buf)
		t.Fatalf("reference: %d passed, %d failed, %d skipped, %d warned\n%s", passed, failed, skipped, warned, buf.String())
	}
}

// Each mutation breaks one rule; the cases aimed at that rule must fail.
var mutations = map[string][]string{
	"stdout-log":            {"OUTPUT-001"},
	"stderr-leak":           {"SEC-001"},
	"message-leak":          {"SEC-002"},
	"exit-on-missing":       {"CORE-005"},
	"drop-id":               {"CORE-002"},
	"extra-id":              {"OUTPUT-002"},
	"wrong-version":         {"CORE-001"},
	"hang":                  {"PROC-001"},
	"ignore-deadline":       {"PROC-004"},
	"needs-home":            {"ENV-001"},
	"mangle-unicode":        {"OUTPUT-003"},
	"crash-on-malformed":    {"INPUT-001", "INPUT-002", "INPUT-004"},
	"reject-duplicates":     {"CORE-004"},
	"answer-invalid":        {"CORE-006"},
	"fail-empty":            {"CORE-007"},
	"stateful":              {"PROC-002", "PROC-003"},
	"big-output":            {"OUTPUT-004"},
	"schema-violation":      {"OUTPUT-005"},
	"slow-start":            {"PROC-001"},
	"small-batch":           {"CORE-003"},
	"ambiguous-as-notfound": {"CORE-008"},
	"invalid-as-notfound":   {"CORE-009"},
	"any-version":           {"INPUT-003"},
	"read-all":              {"INPUT-005"},
	// Bugs the suite used to miss (see gaps_test.go).
	"omit-values-when-all-fail": {"CORE-010"},
	"crash-on-underscore":       {"CORE-011"},
	"crash-on-256":              {"CORE-011"},
	"cut-at-hash":               {"CORE-012"},
	"strip-prefix-colon":        {"CORE-012"},
	"pinned-provider":           {"CORE-013"},
	"prefix-match":              {"CORE-014"},
}

// Over every transport the mutant speaks: the reference resolver is not
// built on the SDK, so plugin and agent are skipped for it, with the
// reason (testdata/sdkresolver's mutants fail over them, see
// transport_test.go).
func TestMutantsFailTheirCases(t *testing.T) {
	for mutation, cases := range mutations {
		t.Run(mutation, func(t *testing.T) {
			t.Parallel()
			target, f := reference(t, "--mutate", mutation)
			_, not := conformance.TransportsFor(target)
			for _, tr := range conformance.Transports {
				t.Run(string(tr), func(t *testing.T) {
					if why := not[tr]; why != "" {
						t.Skip(why)
					}
					report := suiteOver(t, target, f, "^("+strings.Join(cases, "|")+")$", tr)
					if len(report.Results) != len(cases) {
						t.Fatalf("ran %d cases, want %d", len(report.Results), len(cases))
					}
					for _, res := range report.Results {
						if res.Status != conformance.Fail {
							t.Errorf("%s: %s, want fail", res.ID, res.Status)
						} else if res.Reason == "" {
							t.Errorf("%s failed without a reason", res.ID)
						}
					}
				})
			}
		})
	}
}

// Every case is aimed at by at least one mutant, so none can pass
// everything by construction.
func TestEveryCaseHasAMutant(t *testing.T) {
	aimed := map[string]bool{"INSTALL-001": true} // by the install tests below
	for _, cases := range mutations {
		for _, c := range cases {
			aimed[c] = true
		}
	}
	for _, c := range shellMutants {
		aimed[c.fails] = true
	}
	for _, c := range conformance.Cases() {
		if !aimed[c.ID] {
			t.Errorf("%s has no mutant that fails it", c.ID)
		}
	}
}

var shellMutants = []struct{ script, fixture, fails string }{
	{"constant.sh", "constant.json", "CORE-001"},
	{"stdout-noise.sh", "constant.json", "OUTPUT-001"},
}

// The suite is language-neutral: POSIX shell mutants fail too.
func TestShellMutants(t *testing.T) {
	for _, m := range shellMutants {
		f, _ := loadFixture(t, m.fixture)
		target := sdktest.Install(t, filepath.Join("testdata", "mutants", m.script), nil)
		report := suite(t, target, f, "^"+m.fails+"$")
		if len(report.Results) != 1 || report.Results[0].Status != conformance.Fail {
			t.Errorf("%s: %+v, want %s to fail", m.script, report.Results, m.fails)
		}
	}
}

// Installations the gateway refuses fail INSTALL-001, however good the
// binary.
func TestBadInstallations(t *testing.T) {
	target, f := reference(t)
	link := filepath.Join(filepath.Dir(target), "via-symlink")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	report := suite(t, link, f, "^INSTALL-001$")
	if report.Results[0].Status != conformance.Fail || !strings.Contains(report.Results[0].Reason, "must not be a symlink") {
		t.Errorf("symlink: %+v", report.Results[0])
	}
	if err := os.Chmod(target, 0o775); err != nil {
		t.Fatal(err)
	}
	report = suite(t, target, f, "^INSTALL-001$")
	if report.Results[0].Status != conformance.Fail || !strings.Contains(report.Results[0].Reason, "permissions are too open") {
		t.Errorf("group-writable: %+v", report.Results[0])
	}
}

// A report never shows a value, even from a resolver that leaks them all.
func TestReportsNeverShowValues(t *testing.T) {
	target, f := reference(t, "--mutate", "stderr-leak")
	f.Provider.Args = append(f.Provider.Args, "--mutate", "exit-on-missing")
	report := suite(t, target, f, "^(CORE|SEC|OUTPUT)-")
	var text, js, junit bytes.Buffer
	if err := report.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteJUnit(&junit); err != nil {
		t.Fatal(err)
	}
	if report.OK() {
		t.Fatal("a leaking mutant passed")
	}
	for _, out := range []string{text.String(), js.String(), junit.String()} {
		for id, v := range f.Values {
			if strings.Contains(out, v) || strings.Contains(out, strings.Trim(mustJSON(v), `"`)) {
				t.Errorf("a report shows the value of %q", id)
			}
		}
	}
}

func mustJSON(v string) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestReportFormats(t *testing.T) {
	target, f := reference(t, "--mutate", "drop-id")
	report := suite(t, target, f, "^(CORE-00[12]|CORE-008|INPUT-005)$")
	var junit bytes.Buffer
	if err := report.WriteJUnit(&junit); err != nil {
		t.Fatal(err)
	}
	var parsed struct {
		Suites []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Cases    []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(junit.Bytes(), &parsed); err != nil {
		t.Fatalf("JUnit XML does not parse: %v\n%s", err, junit.String())
	}
	_, failed, _, _ := report.Counts()
	if s := parsed.Suites[0]; s.Tests != 4 || s.Failures != failed || failed == 0 {
		t.Fatalf("JUnit: %d tests, %d failures; report failed %d", s.Tests, s.Failures, failed)
	}
	var js struct {
		OK      bool
		Results []conformance.Result
	}
	var buf bytes.Buffer
	if err := report.WriteJSON(&buf); err != nil || json.Unmarshal(buf.Bytes(), &js) != nil {
		t.Fatalf("JSON report: %v\n%s", err, buf.String())
	}
	if js.OK || len(js.Results) != 4 {
		t.Fatalf("JSON report: ok=%v, %d results", js.OK, len(js.Results))
	}
}

func TestFixtureValidation(t *testing.T) {
	for name, doc := range map[string]string{
		"no values":           `{"name":"x","provider":{},"values":{},"notFound":["a"]}`,
		"no notFound":         `{"name":"x","provider":{},"values":{"a":"1"},"notFound":[]}`,
		"bad name":            `{"name":"X","provider":{},"values":{"a":"1"},"notFound":["b"]}`,
		"bad id":              `{"name":"x","provider":{},"values":{"a b":"1"},"notFound":["b"]}`,
		"unknown key":         `{"name":"x","provider":{},"values":{"a":"1"},"notFound":["b"],"extra":1}`,
		"old gw option":       `{"name":"x","provider":{"allowSymlinkCommand":true},"values":{"a":"1"},"notFound":["b"]}`,
		"id twice":            `{"name":"x","provider":{},"values":{"a":"1"},"notFound":["a"]}`,
		"blank value":         `{"name":"x","provider":{},"values":{"a":"  "},"notFound":["b"]}`,
		"placeholder":         `{"name":"x","provider":{},"values":{"a":"__OPENCLAW_REDACTED__"},"notFound":["b"]}`,
		"placeholder, padded": `{"name":"x","provider":{},"values":{"a":" [REDACTED] "},"notFound":["b"]}`,
		"not json":            `{`,
	} {
		if _, err := conformance.ParseFixture([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
