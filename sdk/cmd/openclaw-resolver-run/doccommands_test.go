package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/clidoc/clidoctest"
)

func runOut(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	status := run(args, &out, &errOut)
	return out.String(), errOut.String(), status
}

// The page passes mandoc and groff and documents every flag the runner's
// --help and doctor's --help list, and doctor itself.
func TestManDocumentsTheCommandLine(t *testing.T) {
	page, stderr, status := runOut(t, "man", "--date", "2026-01-02")
	if status != exitOK || stderr != "" {
		t.Fatalf("status %d, stderr %q", status, stderr)
	}
	clidoctest.LintMan(t, []byte(page))
	help, _, _ := runOut(t, "--help")
	doctorHelp, _, _ := runOut(t, "doctor", "--help")
	flags := append(clidoctest.FlagsOfHelp(help), clidoctest.FlagsOfHelp(doctorHelp)...)
	if !slices.Contains(flags, "pass-env") || !slices.Contains(flags, "no-color") {
		t.Fatalf("--help lists %q", flags)
	}
	for _, name := range flags {
		if !clidoctest.ManHasFlag([]byte(page), name) {
			t.Errorf("--%s is not in the page", name)
		}
	}
	for _, want := range []string{
		".TP\n\\fBdoctor\\fR [\\-\\-config FILE] [\\-\\-json] [\\-\\-no\\-color]\ncheck a whole install",
		"Exit status: 0 every ref resolves and no check failed (warnings allowed); 1 a ref",
		".SH \"SEE ALSO\" \\fBopenclaw\\-sops\\-resolver\\fR(1),",
	} {
		// Compared with the page's lines filled into one.
		if !strings.Contains(strings.Join(strings.Fields(page), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// The completion offers doctor and its flags, the runner's flags, and
// directories for a directory.
func TestCompletion(t *testing.T) {
	script, stderr, status := runOut(t, "completion", "bash")
	if status != exitOK || stderr != "" {
		t.Fatalf("status %d, stderr %q", status, stderr)
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "adir"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "afile"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for line, want := range map[string][]string{
		"openclaw-resolver-run d":                  {"doctor"},
		"openclaw-resolver-run doctor --":          {"--config", "--json", "--no-color"},
		"openclaw-resolver-run --pass":             {"--pass-env"},
		"openclaw-resolver-run --gateway-cwd a":    {"adir"},
		"openclaw-resolver-run --command a":        {"adir", "afile"},
		"openclaw-resolver-run --provider x --rev": {"--reveal"},
	} {
		got := clidoctest.Complete(t, "bash", []byte(script), "openclaw-resolver-run", line, dir)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%q: got %q, want %q", line, got, want)
		}
	}
}

func TestDocCommandUsage(t *testing.T) {
	for _, args := range [][]string{{"completion"}, {"completion", "csh"}, {"man", "--date", "1.1.2026"}} {
		out, stderr, status := runOut(t, args...)
		if status != exitUsage || out != "" || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: status %d, stdout %q, stderr %q", args, status, out, stderr)
		}
	}
}
