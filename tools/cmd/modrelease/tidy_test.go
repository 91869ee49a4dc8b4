package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/execref/execref/tools/internal/gittest"
)

// tidy works where go mod tidy alone cannot: app uses a package lib has
// only in the work tree, which no released lib has. The requirement comes
// back at the released version, without a replace, with go.sum's lines
// for that version.
func TestTidyUsesTheWorkTree(t *testing.T) {
	root := newRepo(t, fixture())
	if r := runTool(t, root, "-skip", "devtools", "prepare", "v1.0.0"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	gittest.Run(t, root, "add", "-A")
	gittest.Run(t, root, "commit", "--quiet", "-m", "release v1.0.0")
	released := read(t, filepath.Join(root, "app", "go.sum"))
	writeFiles(t, root, map[string]string{
		"lib/extra/extra.go":  "package extra\n",
		"app/cmd/app/uses.go": "package main\n\nimport _ \"example.com/multi/lib/extra\"\n",
		"app/go.mod":          "module example.com/multi/app\n\ngo 1.24\n",
	})
	if r := runTool(t, root, "-skip", "devtools", "tidy"); r.code != 0 {
		t.Fatalf("tidy: exit %d\n%s", r.code, r.stderr)
	}
	if got, want := read(t, filepath.Join(root, "app", "go.mod")), "module example.com/multi/app\n\ngo 1.24\n\nrequire example.com/multi/lib v1.0.0\n"; got != want {
		t.Errorf("app/go.mod after tidy:\n%s\nwant:\n%s", got, want)
	}
	if got := read(t, filepath.Join(root, "app", "go.sum")); got != released {
		t.Errorf("app/go.sum after tidy:\n%s\nwant the release's lines:\n%s", got, released)
	}
}

// A failed tidy leaves go.mod and go.sum as they were.
func TestTidyFailureRestores(t *testing.T) {
	root := newRepo(t, fixture())
	writeFiles(t, root, map[string]string{"app/cmd/app/uses.go": "package main\n\nimport _ \"example.com/multi/lib/nowhere\"\n"})
	before := read(t, filepath.Join(root, "app", "go.mod"))
	r := runTool(t, root, "-skip", "devtools", "tidy", "app")
	if r.code != 1 || !strings.Contains(r.stderr, "example.com/multi/lib/nowhere") {
		t.Errorf("tidy: exit %d, %s", r.code, r.stderr)
	}
	if got := read(t, filepath.Join(root, "app", "go.mod")); got != before {
		t.Errorf("app/go.mod after a failed tidy:\n%s\nwant:\n%s", got, before)
	}
	if got := gittest.Run(t, root, "status", "--porcelain"); got != "?? app/cmd/app/uses.go\n" {
		t.Errorf("a failed tidy left changes:\n%s", got)
	}
}
