package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
)

// The rules, one sentinel each, in the order Check applies them. A failed
// check returns an *Error whose Rule is one of these, so
// errors.Is(err, policy.ErrSymlink) tells which rule failed.
var (
	ErrNotAbsolute        = errors.New("path is not absolute")
	ErrNotReadable        = errors.New("path does not exist or cannot be inspected")
	ErrDirectory          = errors.New("path is a directory")
	ErrSymlink            = errors.New("path is a symlink")
	ErrNotRegular         = errors.New("path is not a regular file")
	ErrOutsideTrustedDirs = errors.New("path is outside trustedDirs")
	ErrTooOpen            = errors.New("permissions are too open")
	ErrOwner              = errors.New("path is owned by another user")
	ErrNotExecutable      = errors.New("path is not executable by its owner")
)

// CommandForbidden are the permission bits the gateway refuses on a
// command: group- and world-writable.
const CommandForbidden fs.FileMode = 0o022

// SecretForbidden are the permission bits refused on a secret file: any
// access by group or others.
const SecretForbidden fs.FileMode = 0o077

// Error is a failed check. Its message is the gateway's, word for word, so
// that a user sees the same sentence from our tools as from the gateway.
type Error struct {
	// Rule is the sentinel of the failed rule.
	Rule error
	// Label names the setting the path came from, e.g.
	// "secrets.providers.vault.command".
	Label string
	// Path is the path that failed: the resolved target when a permitted
	// symlink was followed.
	Path string
	// Link is the symlink that was followed to reach Path, if any.
	Link string
	// UID is the current user's uid (ErrOwner).
	UID int
	// Owner is the uid that owns Path (ErrOwner).
	Owner int
	// Mode is Path's permission bits (ErrTooOpen, ErrNotExecutable).
	Mode fs.FileMode
	// Forbidden are the bits the rule refused (ErrTooOpen).
	Forbidden fs.FileMode
	// Executable tells whether the rules wanted an executable (ErrTooOpen:
	// it decides the advice given).
	Executable bool
	// Err is the system error behind ErrNotReadable, for diagnostics. It
	// is not part of the message, which stays the gateway's.
	Err error
}

// Unwrap returns the rule, so errors.Is works with the sentinels.
func (e *Error) Unwrap() error { return e.Rule }

func (e *Error) Error() string {
	l, p := e.Label, e.Path
	switch e.Rule {
	case ErrNotAbsolute:
		return l + " must be an absolute path."
	case ErrNotReadable:
		if e.Link != "" {
			return l + " symlink target is not readable: " + e.Link
		}
		return l + " is not readable: " + p
	case ErrDirectory:
		return l + " must be a file: " + p
	case ErrSymlink:
		return l + " must not be a symlink: " + p
	case ErrNotRegular:
		return l + " must be a regular file: " + p
	case ErrOutsideTrustedDirs:
		return l + " is outside trustedDirs: " + p
	case ErrTooOpen:
		return e.tooOpen()
	case ErrOwner:
		return l + " must be owned by the current user (uid=" + strconv.Itoa(e.UID) + "): " + p
	case ErrNotExecutable:
		return l + " must be executable by its owner: " + p
	}
	return fmt.Sprintf("%s: %v: %s", l, e.Rule, p)
}

// tooOpen keeps the gateway's exact sentence for the gateway's own rule
// (a command that is group- or world-writable). For stricter rules, such as
// a key file readable by others, the gateway has no sentence, so ours says
// what the mode is and what it should be: a user fixes it with one chmod.
func (e *Error) tooOpen() string {
	if e.Forbidden == CommandForbidden {
		return e.Label + " permissions are too open: " + e.Path
	}
	return fmt.Sprintf("%s permissions are too open (%04o; want %04o or stricter): %s",
		e.Label, uint32(e.Mode.Perm()), uint32(recommended(e.Forbidden, e.Executable)), e.Path)
}

// recommended is the most open mode the rules accept: read and write for
// everyone the rules allow, execute too when an executable is wanted.
func recommended(forbidden fs.FileMode, executable bool) fs.FileMode {
	all := fs.FileMode(0o666)
	if executable {
		all = 0o777
	}
	return all &^ forbidden
}
