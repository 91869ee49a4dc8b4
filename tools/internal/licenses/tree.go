package licenses

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// WriteTree writes the licence files of b, as their authors wrote them,
// under dir: dir/go/LICENSE for the Go runtime and standard library, and
// dir/<module path>/<file> for each module (a module's file in a
// subdirectory keeps it). It fails if dir exists, so that no file from
// an earlier run survives into an archive.
func WriteTree(dir string, b Binary) error {
	if _, err := os.Lstat(dir); err == nil {
		return fmt.Errorf("%s exists; remove it first", dir)
	}
	files := map[string][]byte{}
	// Module paths differ in case only (github.com/1Password/…,
	// github.com/1password/…): refuse two files that would be one on a
	// case-insensitive file system such as macOS's.
	folded := map[string]string{}
	for _, l := range append([]Licensed{b.Go}, b.Modules...) {
		for _, f := range l.Files {
			rel := path.Join(l.Module.Path, f.Rel)
			if other, ok := folded[strings.ToLower(rel)]; ok {
				return fmt.Errorf("licence files %s and %s differ only in case", other, rel)
			}
			folded[strings.ToLower(rel)] = rel
			files[rel] = f.Text
		}
	}
	for rel, text := range files {
		if err := write(dir, rel, text); err != nil {
			return err
		}
	}
	return nil
}

func write(dir, rel string, data []byte) error {
	if !filepath.IsLocal(filepath.FromSlash(rel)) || strings.Contains(rel, "\\") {
		return fmt.Errorf("licence file path %q leaves the tree", rel)
	}
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}
