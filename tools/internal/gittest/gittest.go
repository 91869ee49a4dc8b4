// Package gittest runs git in tests' scratch repositories, the same way
// whatever the machine's git configuration: the user's and the system's
// configuration files are not read (no signing, no hooks, no templates),
// and the identity is fixed, so that commits and tags need no setup.
package gittest

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/execref/execref/tools/internal/goenv"
)

// Isolation is the environment that cuts git off from the machine's
// configuration and gives it an identity.
var Isolation = []string{
	"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null",
	"GIT_AUTHOR_NAME=test", "GIT_AUTHOR_EMAIL=test@localhost",
	"GIT_COMMITTER_NAME=test", "GIT_COMMITTER_EMAIL=test@localhost",
}

// Environ is this process's environment with Isolation and then set
// (NAME=value entries) in place of what it inherited: for git, and for
// programs under test that run git.
func Environ(set ...string) []string {
	return goenv.With(os.Environ(), append(append([]string(nil), Isolation...), set...)...)
}

// Run runs git args in dir and returns what it printed, stdout and stderr
// together; it fails t if git fails.
func Run(t testing.TB, dir string, args ...string) string {
	t.Helper()
	return run(t, dir, Environ(), args...)
}

// Commit commits everything in dir's work tree (git add -A), an empty
// commit if nothing changed. when, unless empty, is its author and
// committer date (RFC 3339), for tests that depend on it.
func Commit(t testing.TB, dir, when, message string) {
	t.Helper()
	env := Environ()
	if when != "" {
		env = Environ("GIT_AUTHOR_DATE="+when, "GIT_COMMITTER_DATE="+when)
	}
	run(t, dir, env, "add", "-A")
	run(t, dir, env, "commit", "--quiet", "--allow-empty", "--no-verify", "-m", message)
}

func run(t testing.TB, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return string(out)
}
