package licenses

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The conformance suite's binary, as the release builds it for linux/amd64:
// a real go list over the workspace, the module cache and the toolchain.
// Collected once for all the tests, which only read it.
func collectConformance(t *testing.T) Binary {
	t.Helper()
	b, err := conformance()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var conformance = sync.OnceValues(func() (Binary, error) {
	return Collect("openclaw-resolver-conformance", "../../../conformance/cmd/openclaw-resolver-conformance",
		Target{"linux", "amd64"}, "github.com/execref/execref")
})

func TestCollectListsTheLinkedModulesAndTheGoToolchain(t *testing.T) {
	b := collectConformance(t)
	if b.Go.Module.Path != "go" || !strings.HasPrefix(b.Go.Module.Version, "go1.") || len(b.Go.Files) != 2 {
		t.Errorf("the Go toolchain: %+v, want module go, its version, LICENSE and PATENTS", b.Go.Module)
	}
	paths := map[string]Licensed{}
	for _, l := range b.Modules {
		if strings.HasPrefix(l.Module.Path, "github.com/execref/") {
			t.Errorf("%s listed: the project's own modules are covered by its LICENSE", l.Module.Path)
		}
		paths[l.Module.Path] = l
	}
	js, ok := paths["github.com/santhosh-tekuri/jsonschema/v6"]
	if !ok || strings.Join(js.Common, ",") != "Apache-2.0" {
		t.Errorf("jsonschema: %+v, want it listed, Apache-2.0", js.Module)
	}
}

func TestWriteCopyrightIsWhatLintianAccepts(t *testing.T) {
	b := collectConformance(t)
	var buf bytes.Buffer
	up := Upstream{Name: "execref", Source: "https://github.com/execref/execref", Contact: "https://github.com/execref/execref/issues",
		Copyright: "2026 The execref authors", License: "Apache-2.0"}
	if err := WriteCopyright(&buf, up, b); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, want := range []string{
		"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n",
		"Files: *\nCopyright: 2026 The execref authors\nLicense: Apache-2.0\n",
		"Files: go/*\n",
		"Files: github.com/santhosh-tekuri/jsonschema/v6/*\n",
		"\nLicense: Apache-2.0\n On Debian systems, the complete text of the Apache-2.0 licence can be found in \"/usr/share/common-licenses/Apache-2.0\".\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("copyright file lacks %q", want)
		}
	}
	if strings.Contains(text, apacheTerms) {
		t.Error("copyright file holds the full Apache-2.0 text (lintian: copyright-file-contains-full-apache-2-license)")
	}
	// deb822: every line is a field, a continuation or a paragraph break.
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if line != "" && !strings.HasPrefix(line, " ") && !strings.Contains(line, ": ") || strings.HasSuffix(line, " ") {
			t.Errorf("line %d is not deb822: %q", i+1, line)
		}
	}
}

func TestWriteTreeKeepsTheFilesAsWritten(t *testing.T) {
	b := collectConformance(t)
	dir := filepath.Join(t.TempDir(), "licenses")
	if err := WriteTree(dir, b); err != nil {
		t.Fatal(err)
	}
	for _, l := range append([]Licensed{b.Go}, b.Modules...) {
		for _, f := range l.Files {
			got, err := os.ReadFile(filepath.Join(dir, l.Module.Path, f.Rel))
			if err != nil || !bytes.Equal(got, f.Text) {
				t.Errorf("%s/%s: %v, or not the module's text", l.Module.Path, f.Rel, err)
			}
		}
	}
	if err := WriteTree(dir, b); err == nil {
		t.Error("WriteTree into an existing directory succeeded; old files would ship")
	}
}

// github.com/1Password/… and github.com/1password/… are both linked into
// the 1Password resolver: on macOS's file system one path would shadow
// the other.
func TestWriteTreeRefusesPathsThatDifferInCaseOnly(t *testing.T) {
	mit := []byte("MIT")
	b := Binary{
		Go: Licensed{Module: Module{Path: "go"}, Files: []File{{Rel: "LICENSE", Text: mit}}},
		Modules: []Licensed{
			{Module: Module{Path: "example.com/Org/m"}, Files: []File{{Rel: "LICENSE", Text: mit}}},
			{Module: Module{Path: "example.com/org/m"}, Files: []File{{Rel: "LICENSE", Text: mit}}},
		},
	}
	if err := WriteTree(filepath.Join(t.TempDir(), "licenses"), b); err == nil || !strings.Contains(err.Error(), "differ only in case") {
		t.Fatalf("got %v, want an error naming both files", err)
	}
}
