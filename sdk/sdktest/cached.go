package sdktest

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

var cached struct {
	sync.Mutex
	bins map[string]string
}

// Cached is Build for test suites that run a binary in many tests: each
// package is built once per test process, into
// $XDG_CACHE_HOME/execref/sdktest (so repeated runs relink rather than
// fill the temp dir), and moved into place atomically, so that test
// processes running in parallel never see a half-written binary. Install
// the result before running it as the gateway would.
func Cached(tb testing.TB, pkg string) string {
	tb.Helper()
	return cachedBuild(tb, pkg, "tagged", Build)
}

// CachedWithoutPlugin is Cached for BuildWithoutPlugin: the binary go
// install makes, for measuring what users run.
func CachedWithoutPlugin(tb testing.TB, pkg string) string {
	tb.Helper()
	return cachedBuild(tb, pkg, "untagged", BuildWithoutPlugin)
}

func cachedBuild(tb testing.TB, pkg, variant string, build func(dir, pkg string) (string, error)) string {
	tb.Helper()
	cached.Lock()
	defer cached.Unlock()
	key := pkg
	if abs, err := filepath.Abs(pkg); err == nil && (pkg[0] == '.' || filepath.IsAbs(pkg)) {
		key = abs
	}
	// The two builds differ: each has its own key and directory.
	key += " " + variant
	if bin, ok := cached.bins[key]; ok {
		return bin
	}
	root, err := os.UserCacheDir()
	if err != nil {
		root = os.TempDir()
	}
	dir := filepath.Join(root, "execref", "sdktest", fmt.Sprintf("%x", sha256.Sum256([]byte(key)))[:16])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	tmp, err := os.MkdirTemp(dir, "build-*")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	built, err := build(tmp, pkg)
	if err != nil {
		tb.Fatal(err)
	}
	bin := filepath.Join(dir, filepath.Base(built))
	if err := os.Rename(built, bin); err != nil {
		tb.Fatal(err)
	}
	if cached.bins == nil {
		cached.bins = map[string]string{}
	}
	cached.bins[key] = bin
	return bin
}
