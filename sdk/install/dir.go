package install

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/execref/execref/sdk/gatewayconfig"
	"github.com/execref/execref/sdk/policy"
)

// DefaultDir is bin/ under the OpenClaw state directory, located as the
// gateway locates it (OPENCLAW_STATE_DIR, else ~/.openclaw).
func DefaultDir(env gatewayconfig.Env) (string, error) {
	state, err := gatewayconfig.StateDir(env)
	if err != nil {
		return "", fmt.Errorf("locating the OpenClaw state directory: %w (pass --dir DIR)", err)
	}
	return filepath.Join(state, "bin"), nil
}

// prepareDir creates dir 0700 when it is missing, then checks it.
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

// checkDir refuses a directory in which someone other than the user could
// replace the binary after it was verified.
func checkDir(dir string) error {
	info, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrUnsafeDir, dir, err)
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		real, _ := filepath.EvalSymlinks(dir)
		return fmt.Errorf("%w: %s is a symlink (to %s): pass --dir the real directory, so that the path in openclaw.json is the one that was checked", ErrUnsafeDir, dir, real)
	}
	if !info.IsDir() {
		return fmt.Errorf("%w: %s is not a directory: pass --dir a directory", ErrUnsafeDir, dir)
	}
	if owner, ok := policy.FileOwner(info); ok && owner != os.Getuid() {
		return fmt.Errorf("%w: %s is owned by uid %d, not by you (uid %d): pass --dir a directory you own, or run install as the user the gateway runs as", ErrUnsafeDir, dir, owner, os.Getuid())
	}
	if perm := info.Mode().Perm(); perm&0o022 != 0 {
		return fmt.Errorf("%w: %s has mode %04o: others could replace the binary; run `chmod go-w %s` (or chmod 0700)", ErrUnsafeDir, dir, perm, dir)
	}
	return nil
}
