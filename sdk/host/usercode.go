package host

import (
	"errors"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/policy"
)

// The codes the gateway shows its user for a failed reference. Everything
// else a resolver says (other codes, every message) stays hidden.
const (
	CodeRefNotFound         = "SECRET_REF_NOT_FOUND"
	CodeRefRedactedValue    = "SECRET_REF_REDACTED_VALUE"
	CodeRefProviderError    = "SECRET_REF_PROVIDER_ERROR"
	CodeRefInvalid          = "SECRET_REF_INVALID"
	CodeProviderUnavailable = "SECRET_PROVIDER_UNAVAILABLE"
	CodeProviderInvalid     = "SECRET_PROVIDER_INVALID"
)

// UserCode maps an error from Resolve, Exec or ParseResponse (or a
// Result.Err) to the code the gateway shows its user:
//
//   - a resolver's NOT_FOUND, or an id missing from the response:
//     SECRET_REF_NOT_FOUND;
//   - the redaction placeholder as a value: SECRET_REF_REDACTED_VALUE;
//   - any other per-id failure, AMBIGUOUS_DUPLICATE_KEY included, and a
//     value that is not a non-empty string: SECRET_REF_PROVIDER_ERROR;
//   - an id or alias refused before the run: SECRET_REF_INVALID;
//   - too many ids, too large a request, an invalid config (a command
//     that is not an absolute path included): SECRET_PROVIDER_INVALID;
//   - any other provider-level failure (policy, start, limits, exit,
//     malformed response): SECRET_PROVIDER_UNAVAILABLE.
//
// It returns "" for nil.
func UserCode(err error) string {
	var perID *protocol.Error
	var badRef *refError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &perID):
		if perID.Code == protocol.NotFound {
			return CodeRefNotFound
		}
		return CodeRefProviderError
	case errors.Is(err, ErrMissingID):
		return CodeRefNotFound
	case errors.Is(err, ErrRedactedValue):
		return CodeRefRedactedValue
	case errors.Is(err, ErrNotString):
		return CodeRefProviderError
	case errors.As(err, &badRef), errors.Is(err, protocol.ErrInvalidProvider):
		return CodeRefInvalid
	case errors.Is(err, ErrTooManyRefs), errors.Is(err, ErrBatchTooLarge), errors.Is(err, ErrInvalidConfig),
		errors.Is(err, policy.ErrNotAbsolute):
		return CodeProviderInvalid
	}
	return CodeProviderUnavailable
}
