package agent

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/execref/execref/sdk/policy"
)

// prepareDir creates the socket's directory 0700 when it is missing, then
// checks it.
func prepareDir(dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("creating %s: %w", dir, err)
		}
		// MkdirAll's mode passes through the umask; say exactly 0700.
		if err := os.Chmod(dir, 0o700); err != nil {
			return err
		}
	}
	return checkDir(dir)
}

// checkDir refuses a directory in which someone else could replace the
// socket (and so take the batches the exec side sends it).
func checkDir(dir string) error {
	info, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnsafeDir, err)
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("%w: %s is a symlink: give the socket a path in a real directory", ErrUnsafeDir, dir)
	}
	if !info.IsDir() {
		return fmt.Errorf("%w: %s is not a directory", ErrUnsafeDir, dir)
	}
	if owner, ok := policy.FileOwner(info); ok && owner != os.Getuid() {
		return fmt.Errorf("%w: %s is owned by uid %d, not by you (uid %d)", ErrUnsafeDir, dir, owner, os.Getuid())
	}
	if perm := info.Mode().Perm(); perm&0o022 != 0 {
		return fmt.Errorf("%w: %s has mode %04o: others could replace the socket; run `chmod 0700 %s`", ErrUnsafeDir, dir, perm, dir)
	}
	return nil
}
