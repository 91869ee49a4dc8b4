// Package sdktest helps resolver authors test their binaries the way the
// gateway runs them: built, installed where the command-path policy accepts
// them, and driven through the host runner.
package sdktest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Build compiles the main package pkg (a directory such as
// "./cmd/openclaw-x-resolver", relative to the caller's working directory,
// or an import path) into dir and returns the executable's absolute path.
// The file is a regular, user-owned 0755 file, as the gateway requires.
func Build(dir, pkg string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", out, pkg)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", pkg, err, msg)
	}
	return out, os.Chmod(out, 0o755)
}

// MustBuild is Build into a fresh directory of its own that is removed when
// tb ends. The directory is created 0755 so that it could serve as a
// trustedDir.
func MustBuild(tb testing.TB, pkg string) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "bin")
	if err := os.Mkdir(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	path, err := Build(dir, pkg)
	if err != nil {
		tb.Fatal(err)
	}
	return path
}

// Install copies the executable bin into a fresh directory of its own, as
// an operator installs a resolver for the gateway: a regular 0755 file in a
// 0755 directory, owned by the current user, with files beside it (mode
// 0600; the gateway runs the command in its own directory, so a resolver
// finds them by relative path). It returns the installed command's path.
func Install(tb testing.TB, bin string, files map[string][]byte) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "bin")
	if err := os.Mkdir(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		tb.Fatal(err)
	}
	command := filepath.Join(dir, filepath.Base(bin))
	if err := WriteExecutable(command, data); err != nil {
		tb.Fatal(err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	return command
}
