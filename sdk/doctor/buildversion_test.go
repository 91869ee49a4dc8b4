package doctor

import (
	"runtime/debug"
	"testing"
)

// Versions as builds record them are ordered as releases are: semver
// precedence, Go's pseudo-versions between releases, and `git describe`
// (what the Makefile stamps) later than its tag.
func TestReleaseOrder(t *testing.T) {
	ascending := []string{
		"v0.3.1",
		"v0.4.0-alpha",
		"v0.4.0-alpha.1",
		"v0.4.0-alpha.beta",
		"v0.4.0-beta.2",
		"v0.4.0-beta.11",
		"v0.4.0-rc.1",
		"v0.4.0-rc.1-3-g0b324f9",
		"v0.4.0-rc.2",
		"resolvers/sops/v0.4.0",
		"v0.4.0-2-g0b324f9",
		"v0.4.0-10-g0b324f9-dirty",
		"v0.4.1-0.20261130234200-0b324f9abcde",
		"0.4.1",
		"v0.10.0",
		"v1.0.0",
	}
	for i, a := range ascending {
		ra, ok := parseRelease(a)
		if !ok {
			t.Fatalf("%q not read", a)
		}
		for j, b := range ascending {
			rb, _ := parseRelease(b)
			if got, want := ra.compare(rb), cmpIndex(i, j); got != want {
				t.Errorf("compare(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
	for _, same := range [][2]string{{"v0.4.0", "0.4.0"}, {"v0.4.0", "v0.4.0+dirty"}, {"v0.4.0", "v0.4.0-dirty"}, {"v0.4.0", "examples/x/v0.4.0"}} {
		a, _ := parseRelease(same[0])
		b, okB := parseRelease(same[1])
		if !okB || a.compare(b) != 0 {
			t.Errorf("%q and %q are not the same version", same[0], same[1])
		}
	}
	for _, bad := range []string{"", "dev", "(devel)", "0b324f9", "0b324f9-dirty", "v1.2", "v01.2.3", "v1.2.3-", "v99999999999999999999.0.0"} {
		if _, ok := parseRelease(bad); ok {
			t.Errorf("%q read as a version", bad)
		}
	}
}

func cmpIndex(i, j int) int {
	switch {
	case i < j:
		return -1
	case i > j:
		return 1
	}
	return 0
}

// The version is the -X value in any spelling the linker takes (the last
// one wins, as in the linker), else the main module's version.
func TestStampedVersion(t *testing.T) {
	for _, c := range []struct{ ldflags, module, want string }{
		{"-s -w -X github.com/execref/execref/sdk.Version=v0.4.0", "(devel)", "v0.4.0"},
		{"-X=github.com/execref/execref/sdk.Version=v0.4.0", "", "v0.4.0"},
		{"--X 'github.com/execref/execref/sdk.Version=v0.4.0' -s", "", "v0.4.0"},
		{"-X github.com/execref/execref/sdk.Version=v0.3.0 -X github.com/execref/execref/sdk.Version=v0.4.0", "", "v0.4.0"},
		{"-X github.com/other/sdk.Version=v9.9.9", "v0.2.0", "v0.2.0"},
		{"-X main.Xgithub.com/execref/execref/sdk.Version=v9.9.9", "", ""},
		{"", "(devel)", ""},
		{"", "v0.2.1-0.20261130234200-0b324f9abcde", "v0.2.1-0.20261130234200-0b324f9abcde"},
	} {
		info := &debug.BuildInfo{Main: debug.Module{Version: c.module}}
		if c.ldflags != "" {
			info.Settings = []debug.BuildSetting{{Key: "-ldflags", Value: c.ldflags}}
		}
		if got := stampedVersion(info); got != c.want {
			t.Errorf("-ldflags %q, module %q: %q, want %q", c.ldflags, c.module, got, c.want)
		}
	}
}

// Builds without a version (-trimpath drops the recorded -ldflags) are
// ordered by the time of the commit Go recorded, and the same commit is
// the same version; with neither, the order is unknown.
func TestCompareBuilds(t *testing.T) {
	older := build{revision: "aaaa", time: "2026-11-01T10:00:00Z"}
	newer := build{revision: "bbbb", time: "2026-11-30T10:00:00Z"}
	for _, c := range []struct {
		name  string
		a, b  build
		order int
		known bool
	}{
		{"versions", build{version: "v0.3.1", time: newer.time}, build{version: "v0.4.0", time: older.time}, -1, true},
		{"commit times", older, newer, -1, true},
		{"commit times, newer", newer, older, 1, true},
		{"a version and a commit", build{version: "v0.4.0", revision: "aaaa", time: older.time}, newer, -1, true},
		{"same commit", older, older, 0, true},
		{"one time, two commits", older, build{revision: "cccc", time: older.time}, 0, false},
		{"nothing recorded", build{version: "dev"}, build{}, 0, false},
	} {
		order, known := compareBuilds(c.a, c.b)
		if order != c.order || known != c.known {
			t.Errorf("%s: %d %v, want %d %v", c.name, order, known, c.order, c.known)
		}
	}
	for _, c := range []struct {
		b    build
		want string
	}{
		{build{version: "v0.4.0", revision: "aaaa"}, "v0.4.0"},
		{build{revision: "0b324f9abcdef0123456789", time: "2026-11-30T23:42:00+01:00"}, "commit 0b324f9abcde (2026-11-30)"},
		{build{}, "an unversioned build"},
	} {
		if got := c.b.describe(); got != c.want {
			t.Errorf("describe %+v: %q, want %q", c.b, got, c.want)
		}
	}
}

func TestShellWord(t *testing.T) {
	for in, want := range map[string]string{
		"/home/me/.openclaw/bin": "/home/me/.openclaw/bin",
		"/Users/me/My Tools":     "'/Users/me/My Tools'",
		"it's":                   `'it'\''s'`,
		"$HOME":                  "'$HOME'",
	} {
		if got := shellWord(in); got != want {
			t.Errorf("shellWord(%q) = %q, want %q", in, got, want)
		}
	}
}
