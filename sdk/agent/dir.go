package agent

import (
	"errors"
	"fmt"

	"github.com/execref/execref/sdk/policy"
)

// prepareDir creates the socket's directory 0700 when it is missing, then
// checks it.
func prepareDir(dir string) error {
	return dirError(policy.PrepareOwnDir(dir))
}

// dirError is ErrUnsafeDir with the advice that fits a socket: in a
// directory someone else can change, the socket could be replaced and the
// batches the exec side sends taken.
func dirError(err error) error {
	var de *policy.DirError
	if !errors.As(err, &de) {
		return err
	}
	switch {
	case errors.Is(err, policy.ErrDirSymlink):
		return fmt.Errorf("%w: %w: give the socket a path in a real directory", ErrUnsafeDir, de)
	case errors.Is(err, policy.ErrDirWritable):
		return fmt.Errorf("%w: %w: others could replace the socket; run `chmod 0700 %s`", ErrUnsafeDir, de, de.Dir)
	}
	return fmt.Errorf("%w: %w", ErrUnsafeDir, de)
}
