package licenses

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Binary is everything one binary for one target links and its licences.
type Binary struct {
	Name    string
	Target  Target
	Go      Licensed   // the Go runtime and standard library: module "go", the toolchain's version
	Modules []Licensed // sorted by module path
}

// Collect lists and reads the licences of the main package in dir built
// for t. Every module in error is reported, not only the first.
func Collect(name, dir string, t Target, ownPrefix string) (Binary, error) {
	mods, tc, err := Linked(dir, t, ownPrefix)
	if err != nil {
		return Binary{}, err
	}
	// Go's LICENSE and PATENTS are at the root of the toolchain, which
	// is no module: read them as if it were one.
	goMod := Module{Path: "go", Version: tc.Version, Dir: tc.Root}
	var goFiles []File
	for _, name := range []string{"LICENSE", "PATENTS"} {
		text, err := os.ReadFile(filepath.Join(tc.Root, name))
		if err != nil {
			return Binary{}, fmt.Errorf("the Go toolchain's %s: %w", name, err)
		}
		goFiles = append(goFiles, File{Rel: name, Text: text})
	}
	g, err := Classify(goMod, goFiles)
	if err != nil {
		return Binary{}, err
	}
	b := Binary{Name: name, Target: t, Go: g}
	var errs []error
	for _, m := range mods {
		l, err := Read(m)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		b.Modules = append(b.Modules, l)
	}
	if err := errors.Join(errs...); err != nil {
		return Binary{}, fmt.Errorf("%s for %s:\n%w", name, t, err)
	}
	return b, nil
}
