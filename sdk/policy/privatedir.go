package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Why a directory is not one only its user can change, one sentinel each;
// a *DirError wraps one of them.
var (
	ErrDirSymlink  = errors.New("directory is a symlink")
	ErrDirNotDir   = errors.New("not a directory")
	ErrDirOwner    = errors.New("directory is owned by another user")
	ErrDirWritable = errors.New("directory is writable by others")
)

// DirError says why Dir cannot hold a file others must not replace (a
// binary the gateway runs, the agent's socket). Callers wrap it with their
// own class and add the advice that fits them; Error is the fact alone.
type DirError struct {
	Dir   string
	Fault error       // one of the ErrDir sentinels, or the Lstat error
	Owner int         // for ErrDirOwner
	Mode  fs.FileMode // for ErrDirWritable
}

func (e *DirError) Error() string {
	switch e.Fault {
	case ErrDirSymlink:
		return fmt.Sprintf("%s is a symlink", e.Dir)
	case ErrDirNotDir:
		return fmt.Sprintf("%s is not a directory", e.Dir)
	case ErrDirOwner:
		return fmt.Sprintf("%s is owned by uid %d, not by you (uid %d)", e.Dir, e.Owner, os.Getuid())
	case ErrDirWritable:
		return fmt.Sprintf("%s has mode %04o", e.Dir, e.Mode)
	}
	return fmt.Sprintf("%s: %v", e.Dir, e.Fault)
}

func (e *DirError) Unwrap() error { return e.Fault }

// PrepareOwnDir creates dir (and its parents) 0700 when it is missing,
// then checks it with CheckOwnDir.
func PrepareOwnDir(dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("creating %s: %w", dir, err)
		}
		// MkdirAll's mode passes through the umask; say exactly 0700.
		if err := os.Chmod(dir, 0o700); err != nil {
			return err
		}
	}
	return CheckOwnDir(dir)
}

// CheckOwnDir returns a *DirError unless dir is a real directory (not a
// symlink) of the user's, writable by no one else: a file in it cannot be
// replaced by another user, root aside.
func CheckOwnDir(dir string) error {
	info, err := os.Lstat(dir)
	switch {
	case err != nil:
		return &DirError{Dir: dir, Fault: err}
	case info.Mode()&fs.ModeSymlink != 0:
		return &DirError{Dir: dir, Fault: ErrDirSymlink}
	case !info.IsDir():
		return &DirError{Dir: dir, Fault: ErrDirNotDir}
	}
	if owner, ok := FileOwner(info); ok && owner != os.Getuid() {
		return &DirError{Dir: dir, Fault: ErrDirOwner, Owner: owner}
	}
	if perm := info.Mode().Perm(); perm&0o022 != 0 {
		return &DirError{Dir: dir, Fault: ErrDirWritable, Mode: perm}
	}
	return nil
}
