//go:build unix

package policy_test

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/execref/execref/sdk/policy"
)

func TestCheckOwnDir(t *testing.T) {
	root := t.TempDir()
	mk := func(name string, mode os.FileMode) string {
		p := filepath.Join(root, name)
		if err := os.Mkdir(p, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	own := mk("own", 0o700)
	readable := mk("readable", 0o755)
	open := mk("open", 0o775)
	link := filepath.Join(root, "link")
	if err := os.Symlink(own, link); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(root, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dir  string
		want error
	}{
		{own, nil},
		{readable, nil},
		{open, policy.ErrDirWritable},
		{link, policy.ErrDirSymlink},
		{file, policy.ErrDirNotDir},
		{filepath.Join(root, "missing"), os.ErrNotExist},
	} {
		err := policy.CheckOwnDir(tc.dir)
		if tc.want == nil {
			if err != nil {
				t.Errorf("%s: %v, want nil", tc.dir, err)
			}
			continue
		}
		var de *policy.DirError
		if !errors.Is(err, tc.want) || !errors.As(err, &de) || de.Dir != tc.dir {
			t.Errorf("%s: %v, want a *DirError for %v", tc.dir, err, tc.want)
		}
	}
	if os.Getuid() == 0 {
		other := mk("other", 0o700)
		if err := os.Chown(other, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		var de *policy.DirError
		if err := policy.CheckOwnDir(other); !errors.Is(err, policy.ErrDirOwner) || !errors.As(err, &de) || de.Owner != 65534 {
			t.Errorf("a directory of uid 65534: %v, want ErrDirOwner naming the owner", err)
		}
	}
}

func TestPrepareOwnDirIgnoresTheUmask(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "a", "b")
	if err := policy.PrepareOwnDir(dir); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o700 {
		t.Errorf("mode %04o, want 0700", info.Mode().Perm())
	}
}
