// Package clidoctest checks what clidoc writes with the real tools: man
// pages with mandoc and groff, completion scripts with bash, zsh and fish,
// each completing a command line as it would at a prompt. A test skips
// only when the tool is not installed (Debian: mandoc, groff-base, bash,
// zsh, fish).
package clidoctest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// toolTimeout bounds one run of a shell or formatter: a hung completion
// must fail the test, not the whole run.
const toolTimeout = 30 * time.Second

// need returns the tool's path, or skips the test when it is absent.
func need(tb testing.TB, tool string) string {
	tb.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		tb.Skipf("%s is not installed (Debian package: %s)", tool, debianPackage[tool])
	}
	return path
}

var debianPackage = map[string]string{"mandoc": "mandoc", "groff": "groff-base", "bash": "bash", "zsh": "zsh", "fish": "fish"}

// run runs a tool in dir with the environment env (nothing else) and
// returns its stdout; a failure or any stderr fails the test.
func run(tb testing.TB, dir string, env []string, stdin []byte, name string, args ...string) string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		tb.Fatalf("%s %q: %v\nstderr: %s\nstdout: %s", filepath.Base(name), args, err, stderr.String(), stdout.String())
	}
	return stdout.String()
}

// Syntax checks that shell ("bash", "zsh" or "fish") parses script.
func Syntax(tb testing.TB, shell string, script []byte) {
	tb.Helper()
	path := need(tb, shell)
	file := writeTemp(tb, "script."+shell, script)
	run(tb, tb.TempDir(), baseEnv(tb), nil, path, "-n", file)
}

// Complete returns what shell ("bash", "zsh" or "fish") offers for line,
// the cursor at its end, in dir, with the completion script for the
// command name loaded as a user (or a package) would load it: the words
// only, without descriptions, in the shell's order.
func Complete(tb testing.TB, shell string, script []byte, name, line, dir string) []string {
	tb.Helper()
	var out string
	switch shell {
	case "bash":
		out = completeBash(tb, script, line, dir)
	case "zsh":
		out = completeZsh(tb, script, name, line, dir)
	case "fish":
		out = completeFish(tb, script, line, dir)
	default:
		tb.Fatalf("no shell %q", shell)
	}
	var words []string
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if w, _, _ := strings.Cut(l, "\t"); w != "" {
			words = append(words, w)
		}
	}
	return words
}

// completeBash sets COMP_WORDS as readline splits line (at blanks, and
// around '=', which is in COMP_WORDBREAKS), calls the function the script
// binds to the first word with complete -F, and prints COMPREPLY.
func completeBash(tb testing.TB, script []byte, line, dir string) string {
	path := need(tb, "bash")
	file := writeTemp(tb, "completion.bash", script)
	words := bashWords(line)
	const driver = `source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
spec=$(complete -p "$1") || exit 1
fn=${spec#*-F }; fn=${fn%% *}
"$fn" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"`
	return run(tb, dir, baseEnv(tb), nil, path, append([]string{"--norc", "--noprofile", "-c", driver, "bash", file}, words...)...)
}

// bashWords splits a line as readline does for completion.
func bashWords(line string) []string {
	var words []string
	for _, f := range strings.Fields(line) {
		for i, part := range strings.Split(f, "=") {
			if i > 0 {
				words = append(words, "=")
			}
			if part != "" {
				words = append(words, part)
			}
		}
	}
	if strings.HasSuffix(line, " ") || strings.HasSuffix(line, "=") {
		words = append(words, "")
	}
	return words
}

// completeFish sources the script into a fish without configuration and
// asks complete -C.
func completeFish(tb testing.TB, script []byte, line, dir string) string {
	path := need(tb, "fish")
	file := writeTemp(tb, "completion.fish", script)
	return run(tb, dir, baseEnv(tb), nil, path, "--no-config", "-c", `source $argv[1]; and complete -C $argv[2]`, file, line)
}

// baseEnv is a minimal environment: a home of the test's own, so that no
// user's shell configuration takes part.
func baseEnv(tb testing.TB) []string {
	home := tb.TempDir()
	return []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8", "TERM=dumb", "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "XDG_DATA_HOME=" + filepath.Join(home, ".local", "share")}
}

func writeTemp(tb testing.TB, name string, data []byte) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}
