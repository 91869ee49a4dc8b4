package clidoctest

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// LintMan checks a man page with every formatter installed: mandoc
// -Tlint (all levels, style included) and groff -man -ww (all warnings).
// Either must say nothing. It skips only when neither is installed.
func LintMan(tb testing.TB, page []byte) {
	tb.Helper()
	checked := false
	if path, err := exec.LookPath("mandoc"); err == nil {
		file := writeTemp(tb, "page.1", page)
		if out := lintRun(tb, path, "-Tlint", "-W", "style", file); out != "" {
			tb.Errorf("mandoc -Tlint:\n%s", out)
		}
		checked = true
	}
	if path, err := exec.LookPath("groff"); err == nil {
		run(tb, tb.TempDir(), baseEnv(tb), page, path, "-man", "-Tutf8", "-ww", "-z")
		checked = true
	}
	if !checked {
		tb.Skip("neither mandoc nor groff is installed (Debian packages: mandoc, groff-base)")
	}
}

// lintRun runs mandoc, which exits non-zero when it has something to say:
// what it says is the result.
func lintRun(tb testing.TB, path string, args ...string) string {
	tb.Helper()
	out, err := exec.Command(path, args...).CombinedOutput()
	if err != nil && len(out) == 0 {
		tb.Fatalf("mandoc: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// helpFlag is a flag as --help lists it.
var helpFlag = regexp.MustCompile(`(?m)^  --([A-Za-z0-9][A-Za-z0-9_.-]*)`)

// FlagsOfHelp lists the flags a --help text shows.
func FlagsOfHelp(help string) []string {
	var flags []string
	for _, m := range helpFlag.FindAllStringSubmatch(help, -1) {
		flags = append(flags, m[1])
	}
	return flags
}

// ManHasFlag tells whether the page documents the flag as an option:
// "--name" in bold.
func ManHasFlag(page []byte, name string) bool {
	return strings.Contains(string(page), `\fB\-\-`+strings.ReplaceAll(name, "-", `\-`)+`\fR`)
}
