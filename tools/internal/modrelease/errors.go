package modrelease

import (
	"errors"
	"fmt"
	"strings"
)

// Failures a caller (or a test) tells apart with errors.Is; each is wrapped
// with the module, file or tag it is about.
var (
	// ErrVersion: the version is not a canonical semantic version that
	// every released module path can carry.
	ErrVersion = errors.New("not a usable release version")
	// ErrDirty: prepare and tag work on committed files only, so that the
	// hashes they write or check are those of the commit that gets tagged.
	ErrDirty = errors.New("the work tree has uncommitted changes")
	// ErrDirective: go install pkg@version refuses a main module whose
	// go.mod has replace or exclude directives.
	ErrDirective = errors.New("replace or exclude directive in a released module")
	// ErrCycle: released modules must form a DAG, or no order of go.sum
	// hashes exists.
	ErrCycle = errors.New("released modules require each other in a cycle")
	// ErrNotPrepared: a released module does not require its siblings at
	// the version, or its go.sum lacks their hashes.
	ErrNotPrepared = errors.New("not prepared for this version")
	// ErrChecksum: a go.sum line disagrees with the module as the tag
	// serves it; go would refuse it with a SECURITY ERROR.
	ErrChecksum = errors.New("go.sum disagrees with the tagged module")
	// ErrTagExists: tags are never moved once made.
	ErrTagExists = errors.New("tag exists")
	// ErrNoModules: go.work lists no module to release.
	ErrNoModules = errors.New("no module to release")
	// ErrInstalled: a binary built by go install does not carry the
	// released modules at the version.
	ErrInstalled = errors.New("installed binary is not the release")
	// ErrNotScratch: check's scratch directory holds files modrelease
	// did not write, which it would remove.
	ErrNotScratch = errors.New("not a scratch directory of modrelease check")
)

// GitError is a failed git command with what it said.
type GitError struct {
	Args   []string
	Stderr string
	Err    error
}

func (e *GitError) Error() string {
	return fmt.Sprintf("git %s: %v: %s", strings.Join(e.Args, " "), e.Err, strings.TrimSpace(e.Stderr))
}

func (e *GitError) Unwrap() error { return e.Err }

// GoError is a failed go command with what it said.
type GoError struct {
	Args   []string
	Output string
	Err    error
}

func (e *GoError) Error() string {
	return fmt.Sprintf("go %s: %v\n%s", strings.Join(e.Args, " "), e.Err, strings.TrimSpace(e.Output))
}

func (e *GoError) Unwrap() error { return e.Err }
