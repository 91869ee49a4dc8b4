package install

import "errors"

var (
	// ErrUsage marks a command line that cannot be used.
	ErrUsage = errors.New("usage")
	// ErrUnsafeDir marks a target directory the copy must not go in:
	// a symlink, not a directory, not owned by the user, or writable by
	// others, any of which would let someone else swap the binary.
	ErrUnsafeDir = errors.New("unsafe install directory")
	// ErrNotInstalled marks a `config` run with no copy to describe.
	ErrNotInstalled = errors.New("not installed")
)
