package modrelease

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/execref/execref/tools/internal/goenv"
)

// git runs git in dir and returns its standard output. env is added to the
// inherited environment.
func git(dir string, env []string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = goenv.With(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", &GitError{Args: args, Stderr: stderr.String(), Err: err}
	}
	return stdout.String(), nil
}

// gitBlob returns a file of a revision, and false if the revision has no
// such file.
func gitBlob(root, rev, file string) ([]byte, bool, error) {
	spec := rev + ":" + file
	if _, err := git(root, nil, "cat-file", "-e", spec); err != nil {
		var ge *GitError
		if errors.As(err, &ge) {
			return nil, false, nil
		}
		return nil, false, err
	}
	out, err := git(root, nil, "cat-file", "blob", spec)
	return []byte(out), err == nil, err
}

// requireClean refuses a work tree with changes to tracked files or files
// git would add: what prepare and tag check must be exactly what gets
// committed and tagged.
func requireClean(root string) error {
	out, err := git(root, nil, "status", "--porcelain", "--untracked-files=all")
	if err != nil {
		return err
	}
	if out = strings.TrimSpace(out); out != "" {
		return &pathsError{err: ErrDirty, paths: out}
	}
	return nil
}

// worktreeIndex is a private git index holding the work tree as it would
// be committed (git add -A), so that its tree can be archived exactly as
// the tag will be, without touching the user's own index.
type worktreeIndex struct {
	root string
	env  []string
}

func newWorktreeIndex(root, tmp string) (*worktreeIndex, error) {
	ix := &worktreeIndex{root: root, env: []string{"GIT_INDEX_FILE=" + filepath.Join(tmp, "index")}}
	if _, err := git(root, ix.env, "read-tree", "HEAD"); err != nil {
		return nil, err
	}
	return ix, nil
}

// tree adds the work tree's current state and returns its tree id.
func (ix *worktreeIndex) tree() (string, error) {
	if _, err := git(ix.root, ix.env, "add", "-A"); err != nil {
		return "", err
	}
	out, err := git(ix.root, ix.env, "write-tree")
	return strings.TrimSpace(out), err
}

// pathsError is a sentinel error with the paths it is about.
type pathsError struct {
	err   error
	paths string
}

func (e *pathsError) Error() string { return e.err.Error() + ":\n" + e.paths }
func (e *pathsError) Unwrap() error { return e.err }
