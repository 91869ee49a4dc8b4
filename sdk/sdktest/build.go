// Package sdktest helps resolver authors test their binaries the way the
// gateway runs them: built, installed where the command-path policy accepts
// them, and driven through the host runner.
package sdktest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/plugin/handshake"
)

// Build compiles the main package pkg (a directory such as
// "./cmd/openclaw-x-resolver", relative to the caller's working directory,
// or an import path) into dir and returns the executable's absolute path.
// The file is a regular, user-owned 0755 file, as the gateway requires.
//
// The build has the execref_plugin tag, so that a test reaches the binary
// over all three transports (exec, the agent and go-plugin, which a
// default build refuses; docs/sdk.md, "go-plugin"). BuildWithoutPlugin
// builds what go install builds.
func Build(dir, pkg string) (string, error) {
	return build(dir, pkg, "-tags", handshake.BuildTag)
}

// BuildWithoutPlugin is Build without the execref_plugin tag: the binary
// go build and go install make, which serves exec and the agent and
// refuses a go-plugin host.
func BuildWithoutPlugin(dir, pkg string) (string, error) {
	return build(dir, pkg)
}

func build(dir, pkg string, flags ...string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, filepath.Base(pkg))
	args := append(append([]string{"build"}, flags...), "-o", out, pkg)
	cmd := exec.Command("go", args...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, msg)
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
