package main

import (
	"bytes"
	"encoding/xml"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/execref/execref/conformance"
	"github.com/execref/execref/sdk/sdktest"
)

// install puts the suite's reference resolver beside its fixture, as a
// third party would lay out their own resolver, and returns the fixture.
func install(t *testing.T) (fixture, bin string) {
	t.Helper()
	bin = sdktest.MustBuild(t, "../../testdata/resolver")
	data, err := os.ReadFile("../../testdata/fixtures/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	fixture = filepath.Join(filepath.Dir(bin), "fixture.json")
	if err := os.WriteFile(fixture, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return fixture, bin
}

func TestCLI(t *testing.T) {
	fixture, bin := install(t)
	junit := filepath.Join(t.TempDir(), "junit.xml")
	var out, errOut bytes.Buffer
	if st := run([]string{"--fixture", fixture, "--junit", junit, "--skip", "^PROC-004$", bin}, &out, &errOut); st != exitOK {
		t.Fatalf("status %d\n%s%s", st, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "conformance: 31 passed, 0 failed, 0 skipped\nverdict: conformant") {
		t.Fatalf("summary: %s", out.String())
	}
	data, err := os.ReadFile(junit)
	if err != nil || xml.Unmarshal(data, new(struct{})) != nil || !strings.Contains(string(data), `name="CORE-001 `) {
		t.Fatalf("--junit: %v\n%s", err, data)
	}

	// A mutant fails, with status 1 and the failing case named.
	out.Reset()
	if err := os.WriteFile(fixture, bytes.Replace(mustRead(t, fixture), []byte(`"--timeout"`), []byte(`"--mutate","drop-id","--timeout"`), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	if st := run([]string{"--fixture", fixture, "--json", "--run", "^CORE-00[12]$"}, &out, &errOut); st != exitFailed ||
		!strings.Contains(out.String(), `"status": "fail"`) || !strings.Contains(out.String(), `"ok": false`) {
		t.Fatalf("mutant: status %d\n%s", st, out.String())
	}
}

func mustRead(t *testing.T, path string) []byte {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestCLIUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if st := run([]string{"--list"}, &out, &errOut); st != exitOK || !strings.Contains(out.String(), "INSTALL-001  required") {
		t.Fatalf("--list: %d %q", st, out.String())
	}
	out.Reset()
	if st := run([]string{"--help"}, &out, &errOut); st != exitOK || !strings.Contains(out.String(), "--fixture file") || !strings.Contains(out.String(), "--no-fail-fast") {
		t.Fatalf("--help: %d %q", st, out.String())
	}
	if cfg, err := parseFlags([]string{"--fixture", "f.json", "--no-fail-fast"}, &out); err != nil || !cfg.opts.NoFailFast {
		t.Fatalf("--no-fail-fast: %+v, %v", cfg.opts, err)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	_ = os.WriteFile(bad, []byte(`{"name":"x"}`), 0o600)
	for _, args := range [][]string{{}, {"--fixture", bad}, {"--fixture", "/nonexistent.json"}, {"--run", "("}, {"--fixture", bad, "a", "b"}} {
		errOut.Reset()
		if st := run(args, &out, &errOut); st != exitUsage || errOut.Len() == 0 {
			t.Errorf("%q: status %d, stderr %q", args, st, errOut.String())
		}
	}
}

// A bad flag is one line on stderr, nothing on stdout: neither the flag
// package's own report nor the usage text.
func TestCLIBadFlagIsOneLine(t *testing.T) {
	for _, args := range [][]string{{"--bogus"}, {"--fixture"}, {"-list=maybe"}} {
		var out, errOut bytes.Buffer
		if st := run(args, &out, &errOut); st != exitUsage || out.Len() != 0 || strings.Count(errOut.String(), "\n") != 1 {
			t.Errorf("%q: status %d, stdout %q, stderr %q", args, st, out.String(), errOut.String())
		}
	}
}

// The fixture schema's descriptions name only flags this command has.
func TestSchemaNamesRealFlags(t *testing.T) {
	schema, err := fs.ReadFile(conformance.Schemas, "schema/fixture.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var help bytes.Buffer
	if st := run([]string{"--help"}, &help, &help); st != exitOK {
		t.Fatal(help.String())
	}
	for _, flag := range regexp.MustCompile(`--[a-z][a-z-]*`).FindAllString(string(schema), -1) {
		if !strings.Contains(help.String(), "  "+flag) {
			t.Errorf("the fixture schema names %s, which is not a flag", flag)
		}
	}
}
