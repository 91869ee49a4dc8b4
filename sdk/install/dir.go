package install

import (
	"errors"
	"fmt"
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
	return dirError(policy.PrepareOwnDir(dir))
}

// checkDir refuses a directory in which someone other than the user could
// replace the binary after it was verified.
func checkDir(dir string) error {
	return dirError(policy.CheckOwnDir(dir))
}

// dirError is ErrUnsafeDir with the advice that fits an installed binary.
func dirError(err error) error {
	var de *policy.DirError
	if !errors.As(err, &de) {
		return err
	}
	switch {
	case errors.Is(err, policy.ErrDirSymlink):
		real, _ := filepath.EvalSymlinks(de.Dir)
		return fmt.Errorf("%w: %w (to %s): pass --dir the real directory, so that the path in openclaw.json is the one that was checked", ErrUnsafeDir, de, real)
	case errors.Is(err, policy.ErrDirNotDir):
		return fmt.Errorf("%w: %w: pass --dir a directory", ErrUnsafeDir, de)
	case errors.Is(err, policy.ErrDirOwner):
		return fmt.Errorf("%w: %w: pass --dir a directory you own, or run install as the user the gateway runs as", ErrUnsafeDir, de)
	case errors.Is(err, policy.ErrDirWritable):
		return fmt.Errorf("%w: %w: others could replace the binary; run `chmod go-w %s` (or chmod 0700)", ErrUnsafeDir, de, de.Dir)
	}
	return fmt.Errorf("%w: %w", ErrUnsafeDir, de)
}
