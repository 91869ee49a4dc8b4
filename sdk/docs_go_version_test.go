package sdk

import (
	"bufio"
	"bytes"
	goversion "go/version"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// The Go the docs ask for is the Go the repository needs: the highest `go`
// line of go.work and of every go.mod. A reader who installs what the
// README says must be able to run `make test`.
func TestDocsStateTheGoTheRepositoryNeeds(t *testing.T) {
	root := ".."
	if _, err := os.Stat(filepath.Join(root, "go.work")); err != nil {
		t.Skip("not inside the execref repository")
	}
	need := "go1"
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && (d.Name() == ".git" || d.Name() == "bin" || d.Name() == "node_modules"):
			return filepath.SkipDir
		case d.Name() != "go.mod" && d.Name() != "go.work":
			return nil
		}
		if v := goLine(t, path); goversion.Compare(v, need) > 0 {
			need = v
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mention := regexp.MustCompile(`Go \(?(1\.[0-9]+(\.[0-9]+)?)`)
	for _, doc := range []string{"README.md", "docs/conformance.md"} {
		text, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		found := mention.FindAllSubmatch(text, -1)
		if len(found) == 0 {
			t.Errorf("%s does not say which Go it needs (%s or newer)", doc, need[2:])
		}
		for _, m := range found {
			if "go"+string(m[1]) != need {
				t.Errorf("%s says %q; the repository needs Go %s or newer", doc, m[0], need[2:])
			}
		}
	}
}

// goLine returns the `go` directive of a go.mod or go.work as a Go
// version ("go1.25.8").
func goLine(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if v, ok := bytes.CutPrefix(bytes.TrimSpace(sc.Bytes()), []byte("go ")); ok {
			return "go" + string(bytes.TrimSpace(v))
		}
	}
	t.Fatalf("%s has no go line", path)
	return ""
}
