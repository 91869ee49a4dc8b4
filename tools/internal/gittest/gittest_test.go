package gittest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The user's configuration does not reach git: a global config that would
// sign every commit with a key that does not exist, and another identity,
// change nothing.
func TestCommitIgnoresTheUsersConfiguration(t *testing.T) {
	home := t.TempDir()
	global := filepath.Join(home, "gitconfig")
	if err := os.WriteFile(global, []byte("[user]\n\tname = someone else\n[commit]\n\tgpgSign = true\n[user]\n\tsigningKey = none\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GIT_CONFIG_GLOBAL", global)
	t.Setenv("HOME", home)

	dir := t.TempDir()
	Run(t, dir, "init", "--quiet")
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte("1"), 0o644); err != nil {
		t.Fatal(err)
	}
	Commit(t, dir, "2026-01-02T03:04:05Z", "first")
	Commit(t, dir, "", "empty")
	got := Run(t, dir, "log", "--format=%an %cI %s")
	lines := strings.Split(strings.TrimSpace(got), "\n")
	if len(lines) != 2 || lines[1] != "test 2026-01-02T03:04:05+00:00 first" || !strings.HasPrefix(lines[0], "test ") || !strings.HasSuffix(lines[0], " empty") {
		t.Errorf("git log:\n%s", got)
	}
	if files := Run(t, dir, "ls-files"); files != "f\n" {
		t.Errorf("committed %q, want f", files)
	}
}
