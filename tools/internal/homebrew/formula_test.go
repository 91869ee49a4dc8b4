package homebrew

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const (
	testVersion = "1.2.3"
	testTag     = "v1.2.3"
)

// release makes a dist directory as goreleaser leaves it for the given
// programs and targets: archives (any bytes do: the formulae only name and
// hash them) and checksums.txt.
func release(t *testing.T, programs []Program, targets ...string) (dist string, r Release) {
	t.Helper()
	dist = t.TempDir()
	r = Release{Version: testVersion, Tag: testTag, Checksums: map[string]string{}}
	var sums strings.Builder
	for _, p := range programs {
		for _, target := range targets {
			name := ArchiveName(p.Name, testVersion, target)
			data := []byte("archive of " + name)
			if err := os.WriteFile(filepath.Join(dist, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			r.Checksums[name] = hex.EncodeToString(sum[:])
			fmt.Fprintf(&sums, "%s  %s\n", r.Checksums[name], name)
		}
	}
	if err := os.WriteFile(filepath.Join(dist, "checksums.txt"), []byte(sums.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dist, r
}

var allTargets = []string{"darwin_amd64", "darwin_arm64", "linux_amd64", "linux_arm64"}

func TestFormulaeMatchTheirRelease(t *testing.T) {
	dist, r := release(t, Programs, allTargets...)
	tap := filepath.Join(dist, "homebrew")
	if err := WriteTap(tap, Programs, r); err != nil {
		t.Fatal(err)
	}
	if err := Check(tap, dist, Programs, testVersion, testTag); err != nil {
		t.Fatalf("a fresh tap does not check: %v", err)
	}
	for _, p := range Programs {
		data, err := os.ReadFile(FormulaPath(tap, p.Name))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		for _, want := range []string{
			"class " + Class(p.Name) + " < Formula\n",
			`version "1.2.3"`,
			`license "Apache-2.0"`,
			"on_macos do\n    on_arm do\n",
			"https://github.com/execref/execref/releases/download/v1.2.3/" + p.Name + "_1.2.3_linux_amd64.tar.gz",
			`bin.install "` + p.Name + `"`,
			`man1.install "man/` + p.Name + `.1"`,
			"  test do\n",
			`assert_match "v1.2.3", shell_output("#{bin}/` + p.Name + ` --version")`,
		} {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %q", p.Name, want)
			}
		}
		if strings.Contains(text, "@TAG@") {
			t.Errorf("%s: @TAG@ left in the test", p.Name)
		}
		if got := strings.Count(text, "sha256 "); got != 4 {
			t.Errorf("%s: %d sha256 lines, want 4", p.Name, got)
		}
		if caveat := strings.Contains(text, "  def caveats\n") && strings.Contains(text, "\n        "+p.Name+" install\n"); caveat != p.Resolver {
			t.Errorf("%s: caveat telling to run `%s install`: %v, want %v", p.Name, p.Name, caveat, p.Resolver)
		}
		agent := strings.Contains(text, `pkgshare.install "agent/`+LaunchdPlist+`", "agent/`+SystemdUnit+`"`) &&
			strings.Contains(text, "#{opt_pkgshare}/"+LaunchdPlist+" ") &&
			strings.Contains(text, `launchctl bootstrap "gui/$(id -u)" ~/Library/LaunchAgents/dev.execref.openclaw-resolver-agent.vault.plist`) &&
			strings.Contains(text, "systemctl --user enable --now openclaw-resolver-agent@vault\n")
		if agent != p.Agent {
			t.Errorf("%s: installs the agent's templates and says how to load them: %v, want %v", p.Name, agent, p.Agent)
		}
		if n := strings.Count(text, "def caveats"); n > 1 {
			t.Errorf("%s: %d caveats methods", p.Name, n)
		}
	}
	rubySyntax(t, tap)
}

// ruby -c every formula, when Debian's ruby is there.
func rubySyntax(t *testing.T, tap string) {
	t.Helper()
	ruby, err := exec.LookPath("ruby")
	if err != nil {
		t.Log("ruby not installed: formula syntax not checked (apt-get install ruby)")
		return
	}
	files, _ := filepath.Glob(filepath.Join(tap, "Formula", "*.rb"))
	for _, f := range files {
		if out, err := exec.Command(ruby, "-c", f).CombinedOutput(); err != nil {
			t.Errorf("ruby -c %s: %v\n%s", f, err, out)
		}
	}
}

func TestFormulaListsOnlyTheTargetsBuilt(t *testing.T) {
	p, _ := LookupProgram("openclaw-vault-resolver")
	_, r := release(t, []Program{p}, "linux_amd64")
	var b strings.Builder
	if err := WriteFormula(&b, p, r); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	if strings.Contains(text, "on_macos") || strings.Count(text, "url ") != 1 || !strings.Contains(text, "on_linux do\n    on_intel do\n") {
		t.Errorf("want one linux/intel url only:\n%s", text)
	}
	if err := WriteFormula(&b, p, Release{Version: "9.9.9", Tag: "v9.9.9", Checksums: r.Checksums}); err == nil {
		t.Error("a formula with no archive of its version was written")
	}
}

func TestCheckFindsEveryMismatch(t *testing.T) {
	p, _ := LookupProgram("openclaw-aws-resolver")
	programs := []Program{p}
	tests := map[string]struct {
		change func(t *testing.T, dist, formula string)
		want   string
	}{
		"archive changed after the formula was written": {
			change: func(t *testing.T, dist, _ string) {
				name := filepath.Join(dist, ArchiveName(p.Name, testVersion, "linux_arm64"))
				if err := os.WriteFile(name, []byte("tampered"), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			want: "the file's is",
		},
		"sha256 edited": {
			change: func(t *testing.T, _, formula string) {
				edit(t, formula, func(s string) string {
					i := strings.Index(s, `sha256 "`) + len(`sha256 "`)
					return s[:i] + strings.Repeat("0", 64) + s[i+64:]
				})
			},
			want: "checksums.txt says",
		},
		"a platform missing": {
			change: func(t *testing.T, _, formula string) {
				edit(t, formula, func(s string) string {
					i := strings.Index(s, "  on_linux do")
					j := strings.Index(s, "  def install")
					return s[:i] + s[j:]
				})
			},
			want: "no url for openclaw-aws-resolver_1.2.3_linux_amd64.tar.gz",
		},
		"another version": {
			change: func(t *testing.T, _, formula string) {
				edit(t, formula, func(s string) string { return strings.Replace(s, `version "1.2.3"`, `version "1.2.4"`, 1) })
			},
			want: `want one version "1.2.3"`,
		},
		"url of another release": {
			change: func(t *testing.T, _, formula string) {
				edit(t, formula, func(s string) string { return strings.Replace(s, "/download/v1.2.3/", "/download/v1.2.2/", 1) })
			},
			want: "want https://github.com/execref/execref/releases/download/v1.2.3/",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			dist, r := release(t, programs, allTargets...)
			tap := filepath.Join(dist, "homebrew")
			if err := WriteTap(tap, programs, r); err != nil {
				t.Fatal(err)
			}
			tc.change(t, dist, FormulaPath(tap, p.Name))
			err := Check(tap, dist, programs, testVersion, testTag)
			var me *MismatchError
			if !errors.Is(err, ErrMismatch) || !errors.As(err, &me) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want a mismatch saying %q", err, tc.want)
			}
		})
	}
}

func edit(t *testing.T, file string, f func(string) string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(f(string(data))), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestClass(t *testing.T) {
	for name, want := range map[string]string{
		"openclaw-sops-resolver":      "OpenclawSopsResolver",
		"openclaw-1password-resolver": "Openclaw1passwordResolver",
		"openclaw-resolver-run":       "OpenclawResolverRun",
		"foo+bar_baz.qux":             "FooxbarBazQux",
	} {
		if got := Class(name); got != want {
			t.Errorf("Class(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestReadChecksums(t *testing.T) {
	dir := t.TempDir()
	good := strings.Repeat("a", 64) + "  x.tar.gz\n" + strings.Repeat("b", 64) + "  y.deb\n"
	path := filepath.Join(dir, "checksums.txt")
	if err := os.WriteFile(path, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	sums, err := ReadChecksums(path)
	if err != nil || len(sums) != 2 || sums["y.deb"] != strings.Repeat("b", 64) {
		t.Fatalf("got %v, %v", sums, err)
	}
	for _, bad := range []string{
		strings.Repeat("a", 63) + "  x.tar.gz\n",
		strings.Repeat("a", 64) + " x.tar.gz\n",
		strings.Repeat("a", 64) + "  x\n" + strings.Repeat("b", 64) + "  x\n",
	} {
		if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadChecksums(path); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}
