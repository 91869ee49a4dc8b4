package sdktest

import (
	"debug/buildinfo"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/plugin/handshake"
	"github.com/execref/execref/sdk/policy"
)

// What Build and Install produce passes the gateway's command-path policy
// and runs.
func TestBuildAndInstall(t *testing.T) {
	bin := MustBuild(t, "../examples/openclaw-jsonfile-resolver")
	cmd := Install(t, bin, map[string][]byte{"secrets.json": []byte(`{}`)})
	if err := policy.CheckCommand("p", cmd, []string{filepath.Dir(cmd)}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(filepath.Dir(cmd), "secrets.json"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("file beside the command: %v %v", fi, err)
	}
	if _, err := Build(t.TempDir(), "./no/such/package"); err == nil {
		t.Fatal("building a missing package succeeded")
	}
}

// Build gives the plugin-capable binary every transport test needs,
// BuildWithoutPlugin the one go install makes: their build information
// says which (what plugin.CheckBuild reads).
func TestBuildTags(t *testing.T) {
	for _, c := range []struct {
		build   func(dir, pkg string) (string, error)
		wantTag bool
	}{{Build, true}, {BuildWithoutPlugin, false}} {
		bin, err := c.build(t.TempDir(), "../examples/openclaw-jsonfile-resolver")
		if err != nil {
			t.Fatal(err)
		}
		info, err := buildinfo.ReadFile(bin)
		if err != nil {
			t.Fatal(err)
		}
		tagged := slices.ContainsFunc(info.Settings, func(s debug.BuildSetting) bool {
			return s.Key == "-tags" && slices.Contains(strings.Split(s.Value, ","), handshake.BuildTag)
		})
		if tagged != c.wantTag {
			t.Errorf("%s: built with -tags %s: %v, want %v", bin, handshake.BuildTag, tagged, c.wantTag)
		}
	}
}

func TestCached(t *testing.T) {
	a := Cached(t, "../examples/openclaw-jsonfile-resolver")
	b := Cached(t, "../examples/openclaw-jsonfile-resolver")
	if a != b {
		t.Fatalf("built twice: %s, %s", a, b)
	}
	if fi, err := os.Stat(a); err != nil || fi.Mode().Perm() != 0o755 {
		t.Fatalf("%v %v", fi, err)
	}
}

func TestPEM(t *testing.T) {
	p := PEM(1536)
	if p != PEM(1536) || !strings.HasPrefix(p, "-----BEGIN PRIVATE KEY-----\n") || !strings.HasSuffix(p, "-----END PRIVATE KEY-----\n") || len(p) < 2000 {
		t.Fatalf("PEM(1536): %d bytes, deterministic %v", len(p), p == PEM(1536))
	}
	for _, line := range strings.Split(strings.TrimSpace(p), "\n") {
		if len(line) > 64 && !strings.HasPrefix(line, "-----") {
			t.Fatalf("line over 64 characters: %q", line)
		}
	}
}
