package sdk

import (
	"runtime/debug"
	"testing"
)

// The version a binary reports, from each source in order of precedence.
// That go install pkg@version records the tag as the main module's version
// is proven on real installs by make release-check.
func TestVersionOf(t *testing.T) {
	installed := &debug.BuildInfo{Main: debug.Module{Path: "github.com/execref/execref/resolvers/vault", Version: "v1.2.3"}}
	devel := &debug.BuildInfo{Main: debug.Module{Path: "github.com/execref/execref/resolvers/vault", Version: "(devel)"}}
	for _, c := range []struct {
		name, stamped string
		info          *debug.BuildInfo
		want          string
	}{
		{"stamped wins over the module version", "v9.9.9", installed, "v9.9.9"},
		{"go install records the tag", "", installed, "v1.2.3"},
		{"work-tree build", "", devel, "dev"},
		{"no module version", "", &debug.BuildInfo{}, "dev"},
		{"no build information", "", nil, "dev"},
	} {
		if got := versionOf(c.stamped, c.info); got != c.want {
			t.Errorf("%s: versionOf(%q, …) = %q, want %q", c.name, c.stamped, got, c.want)
		}
	}
}

// A test binary is a work-tree build: unstamped, it reports "dev".
func TestBuildVersionUnstamped(t *testing.T) {
	if Version != "" {
		t.Skip("sdk.Version is stamped in this build")
	}
	if got := BuildVersion(); got != "dev" {
		t.Errorf("BuildVersion() = %q in a test binary, want dev", got)
	}
}
