package licenses

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// File is one licence or notice file of a module.
type File struct {
	Rel  string // its path from the module root, slash-separated
	Text []byte
}

// licenseName matches the names authors give licence and notice files:
// LICENSE, LICENCE.md, COPYING, LICENSE-APACHE-2.0, NOTICE.txt, … (and
// licenseFile rules out source files such as notice.go).
var licenseName = regexp.MustCompile(`(?i)^(licen[cs]e|copying|copyright|notice|unlicense|patents)([-_][a-z0-9.-]+)?(\.(txt|md|rst|markdown))?$`)

func licenseFile(name string) bool {
	return licenseName.MatchString(name) && !strings.HasSuffix(strings.ToLower(name), ".go")
}

// notice tells a NOTICE-like file (attributions that must travel with the
// binary, not a licence by itself) from a licence.
func (f File) notice() bool {
	base := strings.ToLower(filepath.Base(f.Rel))
	return strings.HasPrefix(base, "notice") || strings.HasPrefix(base, "patents")
}

// Files returns the licence and notice files that cover what a binary
// links from m: those at the module root and in each linked package's
// directory and the directories between it and the root (a package
// vendored from elsewhere keeps its own licence beside it). Sorted by path.
func Files(m Module) ([]File, error) {
	root := filepath.Clean(m.Dir)
	dirs := map[string]bool{root: true}
	for _, d := range m.PkgDirs {
		for d = filepath.Clean(d); strings.HasPrefix(d, root+string(filepath.Separator)); d = filepath.Dir(d) {
			dirs[d] = true
		}
	}
	var files []File
	for d := range dirs {
		entries, err := os.ReadDir(d)
		if err != nil {
			return nil, fmt.Errorf("module %s: %w", m.Path, err)
		}
		for _, e := range entries {
			if !e.Type().IsRegular() || !licenseFile(e.Name()) {
				continue
			}
			path := filepath.Join(d, e.Name())
			text, err := os.ReadFile(path)
			if err != nil {
				return nil, fmt.Errorf("module %s: %w", m.Path, err)
			}
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return nil, err
			}
			files = append(files, File{Rel: filepath.ToSlash(rel), Text: text})
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Rel < files[j].Rel })
	return files, nil
}
