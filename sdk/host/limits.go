package host

// The gateway's defaults for an exec provider, applied when a field is 0
// or absent.
const (
	DefaultTimeoutMs      = 5000
	DefaultMaxOutputBytes = 1 << 20
)

// The gateway's config schema bounds for an exec provider.
const (
	MaxTimeoutMs        = 120000
	MaxOutputBytesLimit = 20 << 20
	MaxArgs             = 128
	MaxArgLength        = 1024 // in UTF-16 code units, as JavaScript counts
	MaxPassEnv          = 128
	MaxTrustedDirs      = 64
)

// The gateway's resolution limits (secrets.resolution); they are fixed in
// the gateway, not configurable.
const (
	// MaxRefsPerProvider bounds the distinct ids sent to one provider.
	MaxRefsPerProvider = 512
	// MaxBatchBytes bounds the UTF-8 length of the request on stdin; a
	// request of exactly this length is accepted.
	MaxBatchBytes = 262144
	// MaxProviderConcurrency is how many providers the gateway runs at
	// once, so up to this many copies of one resolver can run together.
	MaxProviderConcurrency = 4
)

// Limits are a provider's effective limits, defaults applied.
type Limits struct {
	TimeoutMs         int
	NoOutputTimeoutMs int
	MaxOutputBytes    int
	JSONOnly          bool
}

// Limits returns p's effective limits: timeoutMs 5000, noOutputTimeoutMs
// equal to the effective timeoutMs, maxOutputBytes 1 MiB and jsonOnly true
// unless set.
func (p Provider) Limits() Limits {
	l := Limits{
		TimeoutMs:      orDefault(p.TimeoutMs, DefaultTimeoutMs),
		MaxOutputBytes: orDefault(p.MaxOutputBytes, DefaultMaxOutputBytes),
		JSONOnly:       p.JSONOnly == nil || *p.JSONOnly,
	}
	l.NoOutputTimeoutMs = orDefault(p.NoOutputTimeoutMs, l.TimeoutMs)
	return l
}

// orDefault treats non-positive values as unset, like the gateway's
// normalizePositiveInt.
func orDefault(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}
