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

// The page passes mandoc and groff and documents every flag --help lists.
func TestManDocumentsTheCommandLine(t *testing.T) {
	page, stderr, status := runOut(t, "man", "--date", "2026-01-02")
	if status != exitOK || stderr != "" {
		t.Fatalf("status %d, stderr %q", status, stderr)
	}
	clidoctest.LintMan(t, []byte(page))
	help, _, _ := runOut(t, "--help")
	flags := clidoctest.FlagsOfHelp(help)
	if !slices.Contains(flags, "fixture") || !slices.Contains(flags, "no-fail-fast") {
		t.Fatalf("--help lists %q", flags)
	}
	for _, name := range flags {
		if !clidoctest.ManHasFlag([]byte(page), name) {
			t.Errorf("--%s is not in the page", name)
		}
	}
}

// The completion offers the flags, files for --fixture and for the
// resolver, and the commands.
func TestCompletion(t *testing.T) {
	script, stderr, status := runOut(t, "completion", "bash")
	if status != exitOK || stderr != "" {
		t.Fatalf("status %d, stderr %q", status, stderr)
	}
	dir := t.TempDir()
	for _, name := range []string{"fixture.json", "resolver"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for line, want := range map[string][]string{
		"openclaw-resolver-conformance --fix":                       {"--fixture"},
		"openclaw-resolver-conformance --fixture f":                 {"fixture.json"},
		"openclaw-resolver-conformance --fixture f.json --run ^C r": {"resolver"},
		"openclaw-resolver-conformance m":                           {"man"},
	} {
		got := clidoctest.Complete(t, "bash", []byte(script), "openclaw-resolver-conformance", line, dir)
		if !slices.Equal(got, want) {
			t.Errorf("%q: got %q, want %q", line, got, want)
		}
	}
}

func TestDocCommandUsage(t *testing.T) {
	for _, args := range [][]string{{"completion"}, {"man", "extra"}} {
		out, stderr, status := runOut(t, args...)
		if status != exitUsage || out != "" || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: status %d, stdout %q, stderr %q", args, status, out, stderr)
		}
	}
}
