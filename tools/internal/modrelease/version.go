package modrelease

import (
	"fmt"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// checkVersion accepts a canonical semantic version ("v1.2.3",
// "v0.1.0-rc.1") that every released module can be tagged with: no build
// metadata (Go drops it), no pseudo-version (those name commits, not
// releases), and a major version the module paths allow (v2 and later
// need a /v2 path suffix).
func (ws *Workspace) checkVersion(v string) error {
	switch {
	case !semver.IsValid(v) || semver.Canonical(v) != v:
		return fmt.Errorf("%w: %q is not a canonical semantic version such as v1.2.3", ErrVersion, v)
	case module.IsPseudoVersion(v):
		return fmt.Errorf("%w: %s is a pseudo-version", ErrVersion, v)
	}
	for _, m := range ws.Released {
		if err := module.Check(m.Path, v); err != nil {
			return fmt.Errorf("%w: %v", ErrVersion, err)
		}
	}
	return nil
}
