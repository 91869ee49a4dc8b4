package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execref/execref/tools/internal/gittest"
	"github.com/execref/execref/tools/internal/goenv"
)

// check rehearses the release of the work tree (an uncommitted change and
// a new file included, ignored files not), and the installed binary is
// the release: built from the tag, reporting the version.
func TestCheckInstallsTheWorkTree(t *testing.T) {
	src := newRepo(t, fixture())
	writeFiles(t, src, map[string]string{
		"lib/lib.go":    "package lib\n\nfunc Greeting() string { return \"hello from the work tree\" }\n",
		"lib/extra.go":  "package lib\n",
		"lib/build.out": "ignored: never in the release\n",
	})
	statusBefore := gittest.Run(t, src, "status", "--porcelain")
	work, modcache := t.TempDir(), t.TempDir()
	r := runTool(t, src, "-skip", "devtools", "check", "-work", work, "-modcache", modcache,
		"v1.2.3", "example.com/multi/app/cmd/app@latest")
	if r.code != 0 {
		t.Fatalf("check: exit %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(work, ".modrelease-check")); err != nil {
		t.Errorf("check did not mark its scratch directory: %v", err)
	}
	bin := filepath.Join(work, "bin", "app")
	if !strings.HasPrefix(r.stdout, bin+"\t") {
		t.Errorf("check printed %q, want the binary %s first", r.stdout, bin)
	}
	out, err := exec.Command(bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := string(out); got != "hello from the work tree v1.2.3\n" {
		t.Errorf("installed app printed %q", got)
	}

	repo := filepath.Join(work, "repo")
	if got := gittest.Run(t, repo, "tag", "--list"); got != "app/v1.2.3\nlib/v1.2.3\nv1.2.3\n" {
		t.Errorf("tags in the rehearsal:\n%s", got)
	}
	if got := gittest.Run(t, repo, "describe", "--tags"); got != "v1.2.3\n" {
		t.Errorf("git describe --tags = %q, want the release tag", got)
	}
	if _, err := os.Stat(filepath.Join(repo, "lib", "build.out")); err == nil {
		t.Error("an ignored file was snapshotted")
	}
	nested := read(t, filepath.Join(repo, "app", "nested", "go.mod"))
	if !strings.Contains(nested, "example.com/multi/lib v1.2.3") || !strings.Contains(nested, "example.com/multi/lib => ../../lib") {
		t.Errorf("the test-only module should follow the version and keep its replaces:\n%s", nested)
	}
	if work := read(t, filepath.Join(repo, "go.work")); !strings.Contains(work, "example.com/multi/lib v1.2.3 => ./lib") || strings.Contains(work, "v0.1.0") {
		t.Errorf("go.work should replace the new version only:\n%s", work)
	}
	// The workspace walks its module graph without asking any proxy for
	// the version it requires.
	env := goenv.With(os.Environ(), "GOPROXY=off", "GOFLAGS=")
	if out, err := goIn(repo, env, "list", "-m", "all"); err != nil {
		t.Errorf("go list -m all in the workspace: %v\n%s", err, out)
	}

	// The rehearsed version does not stay in the module cache, where a
	// later rehearsal at the same version would find it.
	for _, p := range []string{"example.com/multi/app@v1.2.3", "cache/download/example.com/multi/app/@v/v1.2.3.zip", "cache/download/example.com/multi/lib/@v/list"} {
		if _, err := os.Stat(filepath.Join(modcache, p)); err == nil {
			t.Errorf("%s is left in the module cache", p)
		}
	}
	if _, err := os.Stat(filepath.Join(modcache, "cache/download/example.com/multi/lib/@v")); err != nil {
		t.Errorf("the install did not use the module cache given: %v", err)
	}

	if got := gittest.Run(t, src, "status", "--porcelain"); got != statusBefore {
		t.Errorf("check changed the source work tree:\n%s\nwas:\n%s", got, statusBefore)
	}
	if got := gittest.Run(t, src, "tag", "--list"); got != "" {
		t.Errorf("check tagged the source repository: %s", got)
	}
}

// prepare writes what the release commit needs and nothing else; tag
// then tags it; a second tag run refuses to move the tags.
func TestPrepareThenTag(t *testing.T) {
	root := newRepo(t, fixture())
	r := runTool(t, root, "-skip", "devtools", "prepare", "v0.2.0")
	if r.code != 0 {
		t.Fatalf("prepare: exit %d\n%s", r.code, r.stderr)
	}
	want := "app/go.mod\napp/nested/go.mod\ngo.work\napp/go.sum\n"
	if r.stdout != want {
		t.Errorf("prepare changed:\n%s\nwant:\n%s", r.stdout, want)
	}
	sum := read(t, filepath.Join(root, "app", "go.sum"))
	lines := strings.Split(strings.TrimSpace(sum), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "example.com/multi/lib v0.2.0 h1:") || !strings.HasPrefix(lines[1], "example.com/multi/lib v0.2.0/go.mod h1:") {
		t.Errorf("app/go.sum:\n%s", sum)
	}
	if r := runTool(t, root, "-skip", "devtools", "tag", "v0.2.0"); r.code != 1 || !strings.Contains(r.stderr, "uncommitted changes") {
		t.Errorf("tag before the commit: exit %d, %s", r.code, r.stderr)
	}
	gittest.Run(t, root, "add", "-A")
	gittest.Run(t, root, "commit", "--quiet", "-m", "release v0.2.0")
	r = runTool(t, root, "-skip", "devtools", "tag", "v0.2.0")
	if r.code != 0 || r.stdout != "lib/v0.2.0\napp/v0.2.0\nv0.2.0\n" {
		t.Fatalf("tag: exit %d, tags %q\n%s", r.code, r.stdout, r.stderr)
	}
	if got := gittest.Run(t, root, "cat-file", "-t", "v0.2.0"); got != "tag\n" {
		t.Errorf("the release tag is a %s, want an annotated tag", got)
	}
	if r := runTool(t, root, "-skip", "devtools", "tag", "v0.2.0"); r.code != 1 || !strings.Contains(r.stderr, "tag exists") {
		t.Errorf("second tag: exit %d, %s", r.code, r.stderr)
	}
}

func TestPrepareRefuses(t *testing.T) {
	for _, c := range []struct {
		name    string
		change  map[string]string
		commit  bool
		version string
		want    string
	}{
		{"uncommitted change", map[string]string{"lib/lib.go": "package lib\n"}, false, "v1.0.0", "uncommitted changes"},
		{"new file", map[string]string{"lib/new.go": "package lib\n"}, false, "v1.0.0", "uncommitted changes"},
		{"replace in a released module", map[string]string{"app/go.mod": "module example.com/multi/app\n\ngo 1.24\n\nrequire example.com/multi/lib v0.1.0\n\nreplace example.com/multi/lib => ../lib\n"}, true, "v1.0.0", "replace or exclude directive"},
		{"cycle", map[string]string{"lib/go.mod": "module example.com/multi/lib\n\ngo 1.24\n\nrequire example.com/multi/app v0.1.0\n"}, true, "v1.0.0", "cycle"},
		{"short version", nil, false, "v1.0", "not a canonical semantic version"},
		{"build metadata", nil, false, "v1.0.0+meta", "not a canonical semantic version"},
		{"major version without /v2 paths", nil, false, "v2.0.0", "usable release version"},
		{"pseudo-version", nil, false, "v0.0.0-20240101000000-abcdefabcdef", "pseudo-version"},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := newRepo(t, fixture())
			writeFiles(t, root, c.change)
			if c.commit {
				gittest.Run(t, root, "commit", "--quiet", "-am", c.name)
			}
			r := runTool(t, root, "-skip", "devtools", "prepare", c.version)
			if r.code != 1 || !strings.Contains(r.stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want exit 1 and %q", r.code, r.stderr, c.want)
			}
			if got := gittest.Run(t, root, "status", "--porcelain", "--untracked-files=no"); c.commit && got != "" {
				t.Errorf("a refused prepare changed files:\n%s", got)
			}
		})
	}
}

// A module changed after prepare no longer matches the hashes its
// dependents' go.sum hold: tag refuses the commit, and proxy refuses tags
// made by hand, before go would refuse the download.
func TestStaleSumsRefused(t *testing.T) {
	root := newRepo(t, fixture())
	if r := runTool(t, root, "-skip", "devtools", "prepare", "v1.0.0"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	writeFiles(t, root, map[string]string{"lib/lib.go": "package lib\n\nfunc Greeting() string { return \"changed after prepare\" }\n"})
	gittest.Run(t, root, "add", "-A")
	gittest.Run(t, root, "commit", "--quiet", "-m", "release v1.0.0, with a late change")
	if r := runTool(t, root, "-skip", "devtools", "tag", "v1.0.0"); r.code != 1 || !strings.Contains(r.stderr, "go.sum disagrees with the tagged module: app/go.sum") {
		t.Errorf("tag: exit %d, %s", r.code, r.stderr)
	}
	if got := gittest.Run(t, root, "tag", "--list"); got != "" {
		t.Errorf("a refused tag run left tags: %s", got)
	}
	gittest.Run(t, root, "tag", "lib/v1.0.0")
	gittest.Run(t, root, "tag", "app/v1.0.0")
	if r := runTool(t, root, "-skip", "devtools", "proxy", "v1.0.0", t.TempDir()); r.code != 1 || !strings.Contains(r.stderr, "go.sum disagrees") {
		t.Errorf("proxy: exit %d, %s", r.code, r.stderr)
	}
}

// Why prepare writes go.sum lines although go install pkg@version does not
// need them (it ignores the module's go.sum and checks downloads against
// the checksum database, here turned off by GONOSUMDB): a build of the
// tagged source without go.work does, and refuses without them.
func TestGoSumLinesAreWhatModuleBuildsNeed(t *testing.T) {
	root := newRepo(t, fixture())
	if r := runTool(t, root, "-skip", "devtools", "prepare", "v1.0.0"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if err := os.Remove(filepath.Join(root, "app", "go.sum")); err != nil {
		t.Fatal(err)
	}
	gittest.Run(t, root, "add", "-A")
	gittest.Run(t, root, "commit", "--quiet", "-m", "release without go.sum lines")
	gittest.Run(t, root, "tag", "lib/v1.0.0")
	gittest.Run(t, root, "tag", "app/v1.0.0")
	proxy := t.TempDir()
	if r := runTool(t, root, "-skip", "devtools", "proxy", "v1.0.0", proxy); r.code != 1 || !strings.Contains(r.stderr, "not prepared for this version: app/go.sum at app/v1.0.0 has no line for example.com/multi/lib v1.0.0") {
		t.Errorf("proxy: exit %d, %s", r.code, r.stderr)
	}
	env := goEnv(t, proxy) // the proxy's files are written before the check
	if out, err := goIn(t.TempDir(), env, "install", "example.com/multi/app/cmd/app@v1.0.0"); err != nil {
		t.Errorf("go install without go.sum lines: %v\n%s", err, out)
	}
	out, err := goIn(filepath.Join(root, "app"), env, "build", "./...")
	if err == nil || !strings.Contains(out, "missing go.sum entry") {
		t.Errorf("go build of the tagged source without go.sum lines: %v\n%s", err, out)
	}
}

func TestUsage(t *testing.T) {
	root := newRepo(t, fixture())
	for _, args := range [][]string{{}, {"prepare"}, {"proxy", "v1.0.0"}, {"frobnicate", "v1.0.0"}, {"check", "v1.0.0"}} {
		if r := runTool(t, root, args...); r.code != 2 {
			t.Errorf("modrelease %q: exit %d, want 2\n%s", args, r.code, r.stderr)
		}
	}
	if r := runTool(t, root, "-h"); r.code != 0 || !strings.Contains(r.stderr, "modrelease [-C dir] [-skip dirs] prepare VERSION") {
		t.Errorf("-h: exit %d\n%s", r.code, r.stderr)
	}
	if r := runTool(t, root, "check", "-h"); r.code != 0 || !strings.Contains(r.stderr, "-modcache dir") || !strings.Contains(r.stderr, "go env GOMODCACHE") {
		t.Errorf("check -h: exit %d\n%s", r.code, r.stderr)
	}
}

// check -work refuses a directory with files it did not write, saying
// why, and leaves them.
func TestCheckRefusesAForeignWorkDir(t *testing.T) {
	root := newRepo(t, fixture())
	work := t.TempDir()
	writeFiles(t, work, map[string]string{"bin/precious": "not modrelease's\n"})
	r := runTool(t, root, "-skip", "devtools", "check", "-work", work, "v1.2.3", "example.com/multi/app/cmd/app")
	if r.code != 1 || !strings.Contains(r.stderr, work+" is not empty and has no .modrelease-check") {
		t.Errorf("check: exit %d, want 1 and why\n%s", r.code, r.stderr)
	}
	if got := read(t, filepath.Join(work, "bin", "precious")); got != "not modrelease's\n" {
		t.Errorf("bin/precious now holds %q", got)
	}
}
