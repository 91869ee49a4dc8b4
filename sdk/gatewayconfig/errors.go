package gatewayconfig

import "errors"

// Sentinels for errors.Is. Load's errors wrap one of them; a provider
// block, a SecretRef or a section the gateway refuses is reported in the
// Config (Invalid, Ref.Err, Issues) wrapping ErrInvalid.
var (
	// ErrNotFound: there is no file at the config path.
	ErrNotFound = errors.New("openclaw config not found")
	// ErrSyntax: the file (or an $include'd one) is not JSON5.
	ErrSyntax = errors.New("openclaw config is not valid JSON5")
	// ErrInvalid: the gateway would refuse the config.
	ErrInvalid = errors.New("openclaw config is invalid")
)
