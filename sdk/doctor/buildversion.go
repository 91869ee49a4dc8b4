package doctor

import (
	"debug/buildinfo"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/execref/execref/sdk/lazyregexp"
)

// versionVar is the variable release builds stamp:
// go build -ldflags "-X github.com/execref/execref/sdk.Version=v0.4.0".
const versionVar = "github.com/execref/execref/sdk.Version"

// build is what a binary's embedded build information says of it, read
// without running it. Go drops -ldflags from that information under
// -trimpath, which release packages are built with, so a packaged binary
// has no stamped version here: it is ordered by its commit's time
// (vcs.time, which the package build records), and told apart from a copy
// by its bytes.
type build struct {
	program  string // the main package's path
	version  string // the stamped version; "" when the build has none
	revision string // the commit it was built from, when Go recorded it
	time     string // that commit's time (RFC 3339)
}

func readBuild(path string) (build, bool) {
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		return build{}, false
	}
	b := build{program: info.Path, version: stampedVersion(info)}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.revision = s.Value
		case "vcs.time":
			b.time = s.Value
		}
	}
	return b, true
}

// versionFlag finds a -X of versionVar in the recorded -ldflags, in each
// spelling the linker accepts (-X name=value, -X=name=value, --X, quoted).
var versionFlag = lazyregexp.New(`(?:^|\s)--?X(?:=|\s+)['"]?` + regexp.QuoteMeta(versionVar) + `=([^'"\s]+)`)

// stampedVersion is the version a binary reports: the -X value when Go
// recorded the -ldflags (it does not under -trimpath), else the main
// module's version (a tag, or a pseudo-version), else "".
func stampedVersion(info *debug.BuildInfo) string {
	for _, s := range info.Settings {
		if s.Key != "-ldflags" {
			continue
		}
		// The linker keeps the last -X of a name.
		if m := versionFlag().FindAllStringSubmatch(s.Value, -1); m != nil {
			return m[len(m)-1][1]
		}
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	return ""
}

// compareBuilds orders a against b: -1 older, 0 the same version, +1
// newer; known is false when neither their versions nor their commits
// tell. Versions come first; builds without one (a bare commit hash,
// "dev") are ordered by the time of the commit Go recorded, if both have
// one.
func compareBuilds(a, b build) (order int, known bool) {
	if ra, ok := parseRelease(a.version); ok {
		if rb, ok := parseRelease(b.version); ok {
			return ra.compare(rb), true
		}
	}
	ta, errA := time.Parse(time.RFC3339, a.time)
	tb, errB := time.Parse(time.RFC3339, b.time)
	if errA != nil || errB != nil {
		return 0, false
	}
	if c := ta.Compare(tb); c != 0 {
		return c, true
	}
	if a.revision == b.revision {
		return 0, true
	}
	return 0, false
}

// describe names a build for a person: its version, else its commit.
func (b build) describe() string {
	switch {
	case b.version != "":
		return b.version
	case b.revision != "":
		rev := b.revision
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if t, err := time.Parse(time.RFC3339, b.time); err == nil {
			return "commit " + rev + " (" + t.UTC().Format(time.DateOnly) + ")"
		}
		return "commit " + rev
	}
	return "an unversioned build"
}
