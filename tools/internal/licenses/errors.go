package licenses

import (
	"errors"
	"fmt"
)

// ErrNoLicenseFile: a linked module has no LICENSE, COPYING or similar file
// at its root or in the directories of the packages linked from it.
var ErrNoLicenseFile = errors.New("no licence file")

// ErrUnknownLicense: a linked module's licence files name no licence that
// github.com/google/licensecheck recognises.
var ErrUnknownLicense = errors.New("no recognisable licence")

// ModuleError says which module a licence problem is about.
type ModuleError struct {
	Module  string // module path
	Version string
	Dir     string // where its files are
	Err     error  // ErrNoLicenseFile or ErrUnknownLicense
}

func (e *ModuleError) Error() string {
	return fmt.Sprintf("module %s@%s (%s): %v", e.Module, e.Version, e.Dir, e.Err)
}

func (e *ModuleError) Unwrap() error { return e.Err }
