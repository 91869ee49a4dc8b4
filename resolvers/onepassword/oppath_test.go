package onepassword

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/execref/execref/sdk"
)

// fakeExecutable writes an executable file (a stand-in for op; it is never
// run here) at path with mode perm.
func fakeExecutable(t *testing.T, path, content string, perm os.FileMode) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil {
		t.Fatal(err)
	}
	return path
}

// privateDir is a directory only we can write, under the test's temp dir
// (itself under a sticky /tmp or a private directory).
func privateDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func findOpWith(env map[string]string, op string) (string, error) {
	r := New()
	r.op = op
	r.lookupEnv = func(name string) (string, bool) { v, ok := env[name]; return v, ok }
	return r.findOp()
}

func TestFindOpOrder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("op.exe and ACLs")
	}
	dirA, dirB := privateDir(t), privateDir(t)
	opA := fakeExecutable(t, filepath.Join(dirA, "op"), "\x7fELF", 0o755)
	opB := fakeExecutable(t, filepath.Join(dirB, "op"), "\x7fELF", 0o755)
	missing := filepath.Join(privateDir(t), "absent")
	for _, tc := range []struct {
		env  map[string]string
		flag string
		want string
	}{
		{map[string]string{"PATH": dirA + ":" + dirB}, "", opA},
		{map[string]string{"PATH": missing + "::" + dirB + ":" + dirA}, "", opB},
		{map[string]string{"PATH": dirA, envOpPath: " " + opB + " "}, "", opB},
		{map[string]string{"PATH": dirA, envOpPath: opB}, opA, opA},
	} {
		got, err := findOpWith(tc.env, tc.flag)
		if err != nil || got != tc.want {
			t.Errorf("%v --op %q: got %q, %v; want %q", tc.env, tc.flag, got, err, tc.want)
		}
	}
}

// A symlink to op, as Homebrew installs it, is followed: the target runs.
func TestFindOpFollowsSymlinks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks")
	}
	real := fakeExecutable(t, filepath.Join(privateDir(t), "op"), "\x7fELF", 0o755)
	bin := privateDir(t)
	if err := os.Symlink(real, filepath.Join(bin, "op")); err != nil {
		t.Fatal(err)
	}
	got, err := findOpWith(map[string]string{"PATH": bin}, "")
	if want, _ := filepath.EvalSymlinks(real); err != nil || got != want {
		t.Fatalf("got %q, %v; want %q", got, err, want)
	}
}

func TestFindOpRefuses(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("permissions")
	}
	good := fakeExecutable(t, filepath.Join(privateDir(t), "op"), "\x7fELF", 0o755)
	open := privateDir(t)
	if err := os.Chmod(open, 0o777); err != nil {
		t.Fatal(err)
	}
	inOpenDir := fakeExecutable(t, filepath.Join(open, "op"), "\x7fELF", 0o755)
	writable := fakeExecutable(t, filepath.Join(privateDir(t), "op"), "\x7fELF", 0o775)
	notExec := fakeExecutable(t, filepath.Join(privateDir(t), "op"), "\x7fELF", 0o644)
	envScript := fakeExecutable(t, filepath.Join(privateDir(t), "op"), "#!/usr/bin/env sh\n", 0o755)
	relScript := fakeExecutable(t, filepath.Join(privateDir(t), "op"), "#!sh\n", 0o755)
	for _, tc := range []struct {
		env  map[string]string
		flag string
		says []string
	}{
		{nil, "bin/op", []string{"--op must be an absolute path: bin/op"}},
		{map[string]string{envOpPath: "op"}, "", []string{envOpPath + " must be an absolute path"}},
		{nil, filepath.Join(filepath.Dir(good), "nope"), []string{"1Password CLI was not found at"}},
		{nil, inOpenDir, []string{"refusing unsafe 1Password CLI path", "path is writable by another user: " + open}},
		{nil, writable, []string{"path is writable by another user: " + writable}},
		{nil, notExec, []string{"path is not executable"}},
		{nil, envScript, []string{"script interpreter may not use env indirection"}},
		{nil, relScript, []string{"script interpreter must be an absolute path"}},
		{map[string]string{}, "", []string{"1Password CLI was not found", "PATH is not set", "passEnv", "--op"}},
		{map[string]string{"PATH": filepath.Dir(good) + "x"}, "", []string{"no op in PATH"}},
		// A PATH whose only op is unsafe reports why it was refused.
		{map[string]string{"PATH": open}, "", []string{"refusing unsafe 1Password CLI path", "(from PATH)"}},
	} {
		got, err := findOpWith(tc.env, tc.flag)
		if !errors.Is(err, sdk.ErrConfig) {
			t.Errorf("%v --op %q: got %q, %v; want a configuration error", tc.env, tc.flag, got, err)
			continue
		}
		for _, s := range tc.says {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%v --op %q: %q does not say %q", tc.env, tc.flag, err, s)
			}
		}
	}
	// An unsafe op earlier in PATH is passed over for a trusted one.
	got, err := findOpWith(map[string]string{"PATH": open + ":" + filepath.Dir(good)}, "")
	if err != nil || got != good {
		t.Errorf("got %q, %v; want %q", got, err, good)
	}
}
