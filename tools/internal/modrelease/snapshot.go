package modrelease

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// scratchGit makes commits and tags in a scratch repository regardless of
// the user's git configuration (no identity needed, no signing).
var scratchGit = []string{
	"GIT_AUTHOR_NAME=modrelease", "GIT_AUTHOR_EMAIL=modrelease@localhost",
	"GIT_COMMITTER_NAME=modrelease", "GIT_COMMITTER_EMAIL=modrelease@localhost",
	"GIT_CONFIG_COUNT=2",
	"GIT_CONFIG_KEY_0=commit.gpgSign", "GIT_CONFIG_VALUE_0=false",
	"GIT_CONFIG_KEY_1=tag.gpgSign", "GIT_CONFIG_VALUE_1=false",
}

// Snapshot makes dest a new git repository with one commit holding root's
// work tree as git add -A would commit it: committed files, uncommitted
// changes and new files git does not ignore. A release can then be
// rehearsed there, commits and tags included, without touching root.
func Snapshot(root, dest string) error {
	root, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	if dest, err = filepath.Abs(dest); err != nil {
		return err
	}
	if entries, err := os.ReadDir(dest); err == nil && len(entries) > 0 {
		return fmt.Errorf("snapshot: %s is not empty", dest)
	}
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "modrelease-index-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	ix, err := newWorktreeIndex(root, tmp)
	if err != nil {
		return err
	}
	if _, err := ix.tree(); err != nil {
		return err
	}
	gitDir, err := git(root, nil, "rev-parse", "--absolute-git-dir")
	if err != nil {
		return err
	}
	// checkout-index writes the private index's files (not the user's
	// index, not untracked junk) into dest as the work tree.
	env := append([]string{"GIT_DIR=" + strings.TrimSpace(gitDir), "GIT_WORK_TREE=" + dest}, ix.env...)
	if _, err := git(dest, env, "checkout-index", "--all", "--force"); err != nil {
		return err
	}
	for _, args := range [][]string{
		{"init", "--quiet"},
		{"add", "-A"},
		{"commit", "--quiet", "--no-verify", "-m", "snapshot of the work tree of " + root},
	} {
		if _, err := git(dest, scratchGit, args...); err != nil {
			return err
		}
	}
	return nil
}

// Commit commits every change in a scratch repository made by Snapshot.
func Commit(root, message string) error {
	if _, err := git(root, scratchGit, "add", "-A"); err != nil {
		return err
	}
	_, err := git(root, scratchGit, "commit", "--quiet", "--no-verify", "-m", message)
	return err
}
