package packagingscripts

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execref/execref/tools/internal/gittest"
)

// packaging is the directory of the scripts: the repository's packaging/.
func packaging(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../../../packaging")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// repo makes a git repository with one commit, at a fixed time.
func repo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	gittest.Run(t, dir, "init", "-q")
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte("1"), 0o644); err != nil {
		t.Fatal(err)
	}
	gittest.Commit(t, dir, "2026-01-02T03:04:05Z", "c")
	return dir
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	return strings.TrimSpace(gittest.Run(t, dir, args...))
}

func version(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join(packaging(t), "version.sh"), args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("version.sh %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}

func TestVersion(t *testing.T) {
	dir := repo(t)
	short := git(t, dir, "rev-parse", "--short=12", "HEAD")
	snapshot := "+git20260102030405." + short

	check := func(name, deb, semver string) {
		t.Helper()
		if got := version(t, dir); got != deb {
			t.Errorf("%s: version %q, want %q", name, got, deb)
		}
		if got := version(t, dir, "--semver"); got != semver {
			t.Errorf("%s: --semver %q, want %q", name, got, semver)
		}
	}
	check("no tag", "0.0.0"+snapshot, "v0.0.0"+snapshot)

	git(t, dir, "tag", "sdk/v9.9.9") // a module's tag is not the release's
	git(t, dir, "tag", "v1.2.3")
	check("release tag", "1.2.3", "v1.2.3")

	if err := os.WriteFile(filepath.Join(dir, "f"), []byte("2"), 0o644); err != nil {
		t.Fatal(err)
	}
	check("tag, dirty tree", "1.2.3"+snapshot+".dirty", "v1.2.3"+snapshot+".dirty")

	gittest.Commit(t, dir, "2026-02-03T04:05:06Z", "c")
	git(t, dir, "tag", "v1.3.0-rc.1")
	check("pre-release tag", "1.3.0~rc.1", "v1.3.0-rc.1")

	gittest.Commit(t, dir, "2026-02-03T04:05:07Z", "c")
	after := "+git20260203040507." + git(t, dir, "rev-parse", "--short=12", "HEAD")
	check("after a pre-release", "1.3.0~rc.1"+after, "v1.3.0-rc.1"+after)
}

// Debian orders the versions as releases should be: a snapshot after its
// tag and before the next release, a pre-release before its release.
func TestVersionsSortForDebian(t *testing.T) {
	if _, err := exec.LookPath("dpkg"); err != nil {
		t.Skip("dpkg not installed")
	}
	for _, c := range [][3]string{
		{"1.2.3", "lt", "1.2.3+git20260102030405.0123456789ab"},
		{"1.2.3+git20260102030405.0123456789ab", "lt", "1.2.4"},
		{"1.2.3+git20260102030405.0123456789ab", "lt", "1.2.3+git20260102030406.0000000000aa"},
		{"1.3.0~rc.1", "lt", "1.3.0~rc.1+git20260102030405.0123456789ab"},
		{"1.3.0~rc.1+git20260102030405.0123456789ab", "lt", "1.3.0"},
	} {
		if err := exec.Command("dpkg", "--compare-versions", c[0], c[1], c[2]).Run(); err != nil {
			t.Errorf("dpkg: not %s %s %s", c[0], c[1], c[2])
		}
	}
}

func TestGoreleaserConfigFillsEveryMakeLine(t *testing.T) {
	root := filepath.Dir(packaging(t))
	run := func(dir string) (string, error) {
		cmd := exec.Command(filepath.Join(root, "packaging/goreleaser-config.sh"), "build/x", "1.2.3", "linux_amd64 linux_arm64")
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run(root)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		"\ndist: build/x\n",
		"    targets: &targets [linux_amd64, linux_arm64]\n",
		"      - openclaw-sops-resolver (= 1.2.3)\n",
		"      - openclaw-resolver-conformance (= 1.2.3)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("generated config lacks %q", want)
		}
	}
	if strings.Contains(out, "(= PACKAGE_VERSION)") || strings.Contains(out, "# make:") {
		t.Error("a make: line was left unfilled")
	}

	// A .goreleaser.yaml whose marked lines moved is refused.
	dir := t.TempDir()
	cfg, err := os.ReadFile(filepath.Join(root, ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(cfg), "# make: targets", "", 1)
	if err := os.WriteFile(filepath.Join(dir, ".goreleaser.yaml"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := run(dir); err == nil || !strings.Contains(out, "targets") {
		t.Errorf("a config without its targets line was accepted: %v\n%s", err, out)
	}
}

// postinst prints the next step: for a resolver, `<bin> install` (a fresh
// install) or `<bin> install` again (an upgrade); nothing for the others,
// nor for the other maintainer-script actions.
func TestPostinstSaysToRunInstall(t *testing.T) {
	run := func(pkg string, args ...string) string {
		t.Helper()
		cmd := exec.Command("/bin/sh", append([]string{filepath.Join(packaging(t), "deb/postinst")}, args...)...)
		cmd.Env = append(os.Environ(), "DPKG_MAINTSCRIPT_PACKAGE="+pkg)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("postinst %v for %s: %v\n%s", args, pkg, err, out)
		}
		return string(out)
	}
	fresh := run("openclaw-vault-resolver", "configure")
	if !strings.Contains(fresh, "\n    openclaw-vault-resolver install\n") || !strings.Contains(fresh, "As the user the gateway runs as, run\n") {
		t.Errorf("fresh install says:\n%s", fresh)
	}
	upgrade := run("openclaw-vault-resolver", "configure", "1.2.2")
	if !strings.Contains(upgrade, "before this upgrade still run") || !strings.Contains(upgrade, "run again\n") || !strings.Contains(upgrade, "\n    openclaw-vault-resolver install\n") {
		t.Errorf("upgrade says:\n%s", upgrade)
	}
	for _, quiet := range [][]string{
		{"openclaw-resolver-run", "configure"},
		{"openclaw-resolver-conformance", "configure"},
		{"openclaw-vault-resolver", "abort-upgrade", "1.2.2"},
	} {
		if out := run(quiet[0], quiet[1:]...); out != "" {
			t.Errorf("postinst %v for %s printed:\n%s", quiet[1:], quiet[0], out)
		}
	}
}
