package host_test

// An external test package: the SDK imports (through sdk/install) a
// package that imports host, so host's own tests cannot import the SDK.

import (
	"testing"

	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/host"
)

// Every status the SDK exits with has a meaning and a hint, and a status
// the protocol does not define has none.
func TestExitMeaningCoversTheSDK(t *testing.T) {
	for _, code := range []int{sdk.ExitFailure, sdk.ExitUsage, sdk.ExitBadRequest, sdk.ExitUnavailable,
		sdk.ExitInternal, sdk.ExitIO, sdk.ExitNoPerm, sdk.ExitConfig} {
		if m, ok := host.ExitMeaning(code); !ok || m == "" || host.ExitHint(code) == "" {
			t.Errorf("exit %d: meaning %q (%v), hint %q", code, m, ok, host.ExitHint(code))
		}
	}
	if m, _ := host.ExitMeaning(77); m != "credentials refused" {
		t.Errorf("77: %q", m)
	}
	for _, code := range []int{0, 2, 66, 126, 127, 255} {
		if m, ok := host.ExitMeaning(code); ok || host.ExitHint(code) != "" {
			t.Errorf("exit %d has a meaning: %q", code, m)
		}
	}
}
