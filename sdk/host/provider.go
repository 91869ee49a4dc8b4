package host

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf16"

	"github.com/execref/execref/sdk/lazyregexp"
)

// Provider is one exec provider as written in openclaw.json under
// secrets.providers.NAME.
type Provider struct {
	Source            string            `json:"source"`
	Command           string            `json:"command"`
	Args              []string          `json:"args,omitempty"`
	PassEnv           []string          `json:"passEnv,omitempty"`
	Env               map[string]string `json:"env,omitempty"`
	TrustedDirs       []string          `json:"trustedDirs,omitempty"`
	TimeoutMs         int               `json:"timeoutMs,omitempty"`
	NoOutputTimeoutMs int               `json:"noOutputTimeoutMs,omitempty"`
	MaxOutputBytes    int               `json:"maxOutputBytes,omitempty"`
	JSONOnly          *bool             `json:"jsonOnly,omitempty"`
}

// providerSourceExec is the only source this package runs.
const providerSourceExec = "exec"

// passEnvName is the gateway's grammar for a passEnv entry.
var passEnvName = lazyregexp.New(`^[A-Z][A-Z0-9_]{0,127}$`)

// DecodeProvider reads one provider object strictly, as the gateway's
// schema does: unknown keys (such as the removed allowSymlinkCommand and
// allowInsecurePath) are refused, then Validate applies. JSON5 is the
// caller's business: pass plain JSON.
func DecodeProvider(data []byte) (Provider, error) {
	var p Provider
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Provider{}, fmt.Errorf("%w: %v", ErrInvalidConfig, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Provider{}, fmt.Errorf("%w: unexpected data after the provider object", ErrInvalidConfig)
	}
	return p, p.Validate()
}

// Validate applies the gateway's config schema limits. Its error wraps
// ErrInvalidConfig and lists every problem, so a user fixes them in one go.
// Source may be left empty by Go callers; anything else but "exec" is
// refused.
func (p Provider) Validate() error {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	if p.Source != "" && p.Source != providerSourceExec {
		add("source must be %q, got %q", providerSourceExec, p.Source)
	}
	// The schema wants a non-empty string; a blank one passes it and then
	// fails the path policy, as in the gateway.
	if p.Command == "" {
		add("command must not be empty")
	}
	checkRange(add, "timeoutMs", p.TimeoutMs, MaxTimeoutMs)
	checkRange(add, "noOutputTimeoutMs", p.NoOutputTimeoutMs, MaxTimeoutMs)
	checkRange(add, "maxOutputBytes", p.MaxOutputBytes, MaxOutputBytesLimit)
	checkArgs(add, p.Args)
	checkPassEnv(add, p.PassEnv)
	checkTrustedDirs(add, p.TrustedDirs)

	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalidConfig, strings.Join(problems, "; "))
	}
	return nil
}

// checkRange: 0 means "use the default"; otherwise 1..max.
func checkRange(add func(string, ...any), name string, v, max int) {
	if v < 0 || v > max {
		add("%s must be between 1 and %d (or unset), got %d", name, max, v)
	}
}

func checkArgs(add func(string, ...any), args []string) {
	if len(args) > MaxArgs {
		add("args has %d entries, at most %d allowed", len(args), MaxArgs)
	}
	for i, a := range args {
		if n := jsLength(a); n > MaxArgLength {
			add("args[%d] is %d characters long, at most %d allowed", i, n, MaxArgLength)
		}
	}
}

func checkPassEnv(add func(string, ...any), names []string) {
	if len(names) > MaxPassEnv {
		add("passEnv has %d entries, at most %d allowed", len(names), MaxPassEnv)
	}
	for i, n := range names {
		if !passEnvName().MatchString(n) {
			add("passEnv[%d] %q must match %s", i, n, passEnvName())
		}
	}
}

func checkTrustedDirs(add func(string, ...any), dirs []string) {
	if len(dirs) > MaxTrustedDirs {
		add("trustedDirs has %d entries, at most %d allowed", len(dirs), MaxTrustedDirs)
	}
	for i, d := range dirs {
		if !filepath.IsAbs(d) {
			add("trustedDirs[%d] %q must be an absolute path", i, d)
		}
	}
}

// jsLength is a string's length as JavaScript counts it (UTF-16 code
// units), which is what the gateway's schema limits.
func jsLength(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
