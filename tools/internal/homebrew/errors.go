package homebrew

import (
	"errors"
	"fmt"
)

// ErrMismatch: a formula disagrees with the release it was generated for
// (version, URL, checksum, or a platform missing).
var ErrMismatch = errors.New("formula does not match the release")

// MismatchError says which formula and what.
type MismatchError struct {
	Formula string // its file
	What    string
}

func (e *MismatchError) Error() string { return fmt.Sprintf("%s: %s", e.Formula, e.What) }

func (e *MismatchError) Unwrap() error { return ErrMismatch }
