package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/execref/execref/tools/internal/gittest"
	"github.com/execref/execref/tools/internal/goenv"
)

// The tests run the built modrelease on a small repository of three
// modules in a DAG (lib ← app, and app/nested, a test-only module that
// replaces both), plus a go.work module that is never released; then the
// real go command installs from the proxy it writes.

var toolBin string // the built modrelease

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "modrelease-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	toolBin = filepath.Join(dir, "modrelease")
	if out, err := exec.Command("go", "build", "-o", toolBin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// fixture is the repository as committed; tests change it before
// committing with newRepo's files argument.
func fixture() map[string]string {
	return map[string]string{
		"LICENSE":    "the licence every module zip carries\n",
		".gitignore": "*.out\n",
		"go.work": `go 1.24

use (
	./app
	./devtools
	./lib
)

replace (
	example.com/multi/app v0.1.0 => ./app
	example.com/multi/lib v0.1.0 => ./lib
)
`,
		"lib/go.mod":                  "module example.com/multi/lib\n\ngo 1.24\n",
		"lib/testdata/fixture/go.mod": "a test fixture, not a module of the repository\n",
		"lib/lib.go":                  "package lib\n\n// Greeting is what app prints.\nfunc Greeting() string { return \"hello\" }\n",
		"app/go.mod":                  "module example.com/multi/app\n\ngo 1.24\n\nrequire example.com/multi/lib v0.1.0\n",
		"app/cmd/app/main.go": `package main

import (
	"fmt"
	"runtime/debug"

	"example.com/multi/lib"
)

func main() {
	info, _ := debug.ReadBuildInfo()
	fmt.Println(lib.Greeting(), info.Main.Version)
}
`,
		"app/nested/go.mod": `module example.com/multi/app/nested

go 1.24

require (
	example.com/multi/app v0.1.0
	example.com/multi/lib v0.1.0
)

replace (
	example.com/multi/app => ../
	example.com/multi/lib => ../../lib
)
`,
		"app/nested/nested.go": "package nested\n\nimport _ \"example.com/multi/lib\"\n",
		"devtools/go.mod":      "module example.com/multi/devtools\n\ngo 1.24\n",
		"devtools/devtools.go": "package devtools\n",
	}
}

// newRepo commits files into a new git repository.
func newRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	writeFiles(t, root, files)
	gittest.Run(t, root, "init", "--quiet")
	gittest.Commit(t, root, "", "fixture")
	return root
}

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

type result struct {
	code           int
	stdout, stderr string
}

func runTool(t *testing.T, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(toolBin, args...)
	cmd.Dir = dir
	// GOPROXY=off ends the proxy list check builds: go looks nothing up
	// on the network, not even the module paths it tries and the file
	// proxy does not have.
	cmd.Env = gittest.Environ("GOPROXY=off")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

func read(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// goEnv is an environment for go commands against a file proxy, with a
// module cache of the test's own that can be removed.
func goEnv(t *testing.T, proxy string) []string {
	return goenv.With(os.Environ(), "GOWORK=off", "GOFLAGS=-modcacherw", "GOPROXY=file://"+proxy,
		"GONOSUMDB=example.com/multi", "GOMODCACHE="+filepath.Join(t.TempDir(), "modcache"), "GOBIN="+t.TempDir())
}

func goIn(dir string, env []string, args ...string) (string, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	return string(out), err
}
