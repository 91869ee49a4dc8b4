package doctor

import (
	"errors"
	"path/filepath"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/policy"
)

// policyCode names the policy rule that failed, for --json.
func policyCode(err error) string {
	for _, r := range []struct {
		rule error
		code string
	}{
		{policy.ErrNotAbsolute, "NOT_ABSOLUTE"}, {policy.ErrNotReadable, "NOT_READABLE"},
		{policy.ErrDirectory, "DIRECTORY"}, {policy.ErrSymlink, "SYMLINK"},
		{policy.ErrNotRegular, "NOT_REGULAR"}, {policy.ErrOutsideTrustedDirs, "OUTSIDE_TRUSTED_DIRS"},
		{policy.ErrTooOpen, "TOO_OPEN"}, {policy.ErrOwner, "OWNER"}, {policy.ErrNotExecutable, "NOT_EXECUTABLE"},
	} {
		if errors.Is(err, r.rule) {
			return r.code
		}
	}
	return ""
}

// policyFix is the host's hint for a refused command, plus, for a
// symlink, the file it points at: the one to copy.
func policyFix(err error) string {
	hint := host.Diagnose(err, nil, nil).Hint
	var pe *policy.Error
	if errors.As(err, &pe) && pe.Rule == policy.ErrSymlink {
		if real, rerr := filepath.EvalSymlinks(pe.Path); rerr == nil {
			hint += " (the link points at " + real + ")"
		}
	}
	return hint
}

// perIDFix says what to change for a failure of one id. Whole-provider
// failures get the host's diagnosis instead.
func perIDFix(err error) string {
	var perID *protocol.Error
	if errors.As(err, &perID) {
		return resolverCodeFix(perID.Code)
	}
	switch {
	case errors.Is(err, host.ErrMissingID):
		return "the resolver answered without this id, which breaks the protocol: report it to its authors"
	case errors.Is(err, host.ErrRedactedValue):
		return "the backend holds a redaction placeholder instead of the credential: store the real value"
	case errors.Is(err, host.ErrNotString):
		return "the value is empty or not a string: store a non-empty string under this id"
	}
	return ""
}

func resolverCodeFix(code protocol.Code) string {
	switch code {
	case protocol.NotFound:
		return "the backend has nothing under this id: check its spelling (ids are case-sensitive) and that the secret exists"
	case protocol.AmbiguousDuplicateKey:
		return "the id matches more than one secret: remove the duplicate in the backend, or make the id precise"
	case protocol.Unauthenticated, protocol.PermissionDenied:
		return "the backend refused access to this secret: grant the resolver's identity read access to it"
	case protocol.Unavailable, protocol.RateLimited, protocol.Timeout:
		return "the backend did not answer for this id: check that it is reachable, then retry"
	case protocol.InvalidID:
		return "the resolver does not accept this id's syntax: see its documentation"
	}
	return "see the resolver's message"
}
