package sdktest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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
