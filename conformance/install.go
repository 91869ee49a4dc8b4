package conformance

import (
	"errors"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/policy"
)

// installError is a command the gateway's command-path policy refuses.
// The host runner applies the policy before every run, so nothing else can
// be checked until it is fixed: the suite says so once (INSTALL-001), not
// in every case.
type installError struct{ err error } // a *policy.Error

func (e *installError) Error() string {
	return "the gateway would refuse to run it: " + e.err.Error() + "; " + installAdvice(e.err)
}

func (e *installError) Unwrap() error { return e.err }

// checkInstall applies the gateway's command-path policy to the target.
func checkInstall(name string, p host.Provider) error {
	if err := policy.CheckCommand(name, p.Command, p.TrustedDirs); err != nil {
		return &installError{err}
	}
	return nil
}

// installAdvice says how to fix what a rule refused.
func installAdvice(err error) string {
	switch {
	case errors.Is(err, policy.ErrNotReadable):
		return "check the path: the file must exist and be readable"
	case errors.Is(err, policy.ErrDirectory):
		return "point the command at the resolver's executable, not at its directory"
	case errors.Is(err, policy.ErrSymlink):
		return "install a copy of the binary instead of a link (package managers such as Homebrew install links)"
	case errors.Is(err, policy.ErrOutsideTrustedDirs):
		return "install it inside one of trustedDirs, or change trustedDirs"
	case errors.Is(err, policy.ErrTooOpen):
		return "remove group and world write permission (chmod go-w)"
	case errors.Is(err, policy.ErrOwner):
		return "install a copy owned by the user the gateway runs as"
	case errors.Is(err, policy.ErrNotExecutable):
		return "make it executable by its owner (chmod u+x)"
	}
	return "install a regular, user-owned 0755 copy in a directory of your own"
}
