package modrelease

import (
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
)

// Module is one module of the repository.
type Module struct {
	Dir  string // slash-separated, relative to the repository root; "." for the root
	Path string // module path
}

// Tag is the module's tag for version v: Go finds a module in a
// subdirectory by the tag "<dir>/<version>".
func (m Module) Tag(v string) string {
	if m.Dir == "." {
		return v
	}
	return m.Dir + "/" + v
}

func (m Module) file(name string) string { return path.Join(m.Dir, name) }

// Workspace is the repository's modules: those go.work uses are released
// together (except the skipped ones); any other git-tracked module that
// requires them follows their version too.
type Workspace struct {
	Root     string
	Released []Module // every module after the siblings it requires
	Others   []Module // git-tracked, not released (tests, tools)
	GitEnv   []string // added to git's environment when it tags
	requires map[string][]string
}

// Load reads go.work and every git-tracked go.mod under root. skip names
// module directories of go.work that are never released.
func Load(root string, skip []string) (*Workspace, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(root, "go.work"))
	if err != nil {
		return nil, err
	}
	wf, err := modfile.ParseWork("go.work", data, nil)
	if err != nil {
		return nil, err
	}
	skipped := map[string]bool{}
	for _, s := range skip {
		skipped[path.Clean(filepath.ToSlash(s))] = true
	}
	used := map[string]bool{}
	for _, u := range wf.Use {
		if dir := path.Clean(filepath.ToSlash(u.Path)); !skipped[dir] {
			used[dir] = true
		}
	}
	if len(used) == 0 {
		return nil, ErrNoModules
	}
	tracked, err := git(root, nil, "ls-files", "-z")
	if err != nil {
		return nil, err
	}
	ws := &Workspace{Root: root, requires: map[string][]string{}}
	files := map[string]*modfile.File{}
	var released []Module
	for _, name := range strings.Split(tracked, "\x00") {
		if path.Base(name) != "go.mod" || ignoredByGo(name) {
			continue
		}
		f, err := ws.readMod(name)
		if err != nil {
			return nil, err
		}
		m := Module{Dir: path.Dir(name), Path: f.Module.Mod.Path}
		files[m.Path] = f
		if used[m.Dir] {
			released = append(released, m)
			delete(used, m.Dir)
		} else {
			ws.Others = append(ws.Others, m)
		}
	}
	if len(used) > 0 {
		return nil, fmt.Errorf("go.work uses %s, which has no git-tracked go.mod", strings.Join(slices.Sorted(maps.Keys(used)), ", "))
	}
	paths := map[string]bool{}
	for _, m := range released {
		paths[m.Path] = true
	}
	for p, f := range files {
		for _, r := range f.Require {
			if paths[r.Mod.Path] {
				ws.requires[p] = append(ws.requires[p], r.Mod.Path)
			}
		}
	}
	if ws.Released, err = dependencyOrder(released, ws.requires); err != nil {
		return nil, err
	}
	return ws, nil
}

func (ws *Workspace) readMod(name string) (*modfile.File, error) {
	data, err := os.ReadFile(filepath.Join(ws.Root, filepath.FromSlash(name)))
	if err != nil {
		return nil, err
	}
	return modfile.Parse(name, data, nil)
}

// released reports whether a module path is one of the released modules.
func (ws *Workspace) released(modPath string) bool {
	return slices.ContainsFunc(ws.Released, func(m Module) bool { return m.Path == modPath })
}

// closure is every released module m needs, directly or through another
// released module: the siblings whose hashes its go.sum must hold.
func (ws *Workspace) closure(m Module) []string {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(p string) {
		for _, r := range ws.requires[p] {
			if !seen[r] {
				seen[r] = true
				walk(r)
			}
		}
	}
	walk(m.Path)
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// ignoredByGo reports whether go ignores a file's directory as it does for
// ./... patterns and module zips' packages: testdata, and names starting
// with "." or "_". A go.mod there is a test fixture, not a module of ours.
func ignoredByGo(name string) bool {
	for _, elem := range strings.Split(path.Dir(name), "/") {
		if elem == "testdata" || elem != "." && (strings.HasPrefix(elem, ".") || strings.HasPrefix(elem, "_")) {
			return true
		}
	}
	return false
}
