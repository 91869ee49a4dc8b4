package modrelease

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/execref/execref/tools/internal/goenv"
)

// Tidy runs go mod tidy in each module of dirs (every released module when
// dirs is empty) with its siblings as the work tree has them, as go.work
// sees them. go mod tidy ignores go.work and would fetch the siblings at
// the version go.mod requires, which does not exist before it is released
// and lacks what was added since: so each go.mod gets, for the run only, a
// replace of every released module by its directory. Afterwards the
// siblings are required at the current version again (the one go.work
// replaces) and go.sum holds their hashes at that version as the other
// modules' go.sum files have them (none before the first release).
func Tidy(ws *Workspace, dirs []string) error {
	v, err := ws.currentVersion()
	if err != nil {
		return err
	}
	pool := ws.releasedSums(v)
	mods := ws.Released
	if len(dirs) > 0 {
		mods = nil
		for _, d := range dirs {
			m, ok := ws.module(path.Clean(filepath.ToSlash(d)))
			if !ok {
				return fmt.Errorf("%s is not a module of the repository", d)
			}
			mods = append(mods, m)
		}
	}
	for _, m := range mods {
		if err := ws.tidy(m, v, pool); err != nil {
			return fmt.Errorf("%s: %w", m.Dir, err)
		}
	}
	return nil
}

func (ws *Workspace) tidy(m Module, v string, pool map[string]sums) (err error) {
	modFile := filepath.Join(ws.Root, filepath.FromSlash(m.file("go.mod")))
	sumFile := filepath.Join(ws.Root, filepath.FromSlash(m.file("go.sum")))
	origMod, err := os.ReadFile(modFile)
	if err != nil {
		return err
	}
	origSum, err := os.ReadFile(sumFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	defer func() {
		if err == nil {
			return
		}
		// Leave the module as it was.
		err = errors.Join(err, os.WriteFile(modFile, origMod, 0o644))
		if origSum != nil {
			err = errors.Join(err, os.WriteFile(sumFile, origSum, 0o644))
		} else if rerr := os.Remove(sumFile); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			err = errors.Join(err, rerr)
		}
	}()
	f, err := modfile.Parse(m.file("go.mod"), origMod, nil)
	if err != nil {
		return err
	}
	replaced := map[string]bool{}
	for _, r := range f.Replace {
		replaced[r.Old.Path] = true
	}
	var added []string
	for _, s := range ws.Released {
		if s.Path == m.Path || replaced[s.Path] {
			continue
		}
		rel, err := filepath.Rel(filepath.FromSlash(m.Dir), filepath.FromSlash(s.Dir))
		if err != nil {
			return err
		}
		if rel = filepath.ToSlash(rel); !strings.HasPrefix(rel, "../") {
			rel = "./" + rel
		}
		if err := f.AddReplace(s.Path, "", rel, ""); err != nil {
			return err
		}
		added = append(added, s.Path)
	}
	if err := writeModFile(modFile, f); err != nil {
		return err
	}
	env := goenv.With(os.Environ(), "GOWORK=off")
	if err := goCmd(filepath.Dir(modFile), env, "mod", "tidy"); err != nil {
		return err
	}
	data, err := os.ReadFile(modFile)
	if err != nil {
		return err
	}
	if f, err = modfile.Parse(m.file("go.mod"), data, nil); err != nil {
		return err
	}
	for _, p := range added {
		if err := f.DropReplace(p, ""); err != nil {
			return err
		}
	}
	ws.requires[m.Path] = nil
	for _, r := range f.Require {
		if !ws.released(r.Mod.Path) {
			continue
		}
		ws.requires[m.Path] = append(ws.requires[m.Path], r.Mod.Path)
		if err := f.AddRequire(r.Mod.Path, v); err != nil {
			return err
		}
	}
	if err := writeModFile(modFile, f); err != nil {
		return err
	}
	want := map[string]sums{}
	for _, p := range ws.closure(m) {
		if s, ok := pool[p]; ok && !replaced[p] {
			want[p] = s
		}
	}
	tidied, err := os.ReadFile(sumFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if sum := rewriteGoSum(tidied, ws.released, v, want); len(sum) > 0 || tidied != nil {
		return os.WriteFile(sumFile, sum, 0o644)
	}
	return nil
}

func writeModFile(name string, f *modfile.File) error {
	f.Cleanup()
	data, err := f.Format()
	if err != nil {
		return err
	}
	return os.WriteFile(name, data, 0o644)
}

// currentVersion is the version go.work replaces for the released
// modules: the last release (or, before the first, the version the
// modules require), which every go.mod requires between releases.
func (ws *Workspace) currentVersion() (string, error) {
	data, err := os.ReadFile(filepath.Join(ws.Root, "go.work"))
	if err != nil {
		return "", err
	}
	wf, err := modfile.ParseWork("go.work", data, nil)
	if err != nil {
		return "", err
	}
	v := ""
	for _, r := range wf.Replace {
		switch {
		case !ws.released(r.Old.Path):
		case r.Old.Version == "" || v != "" && r.Old.Version != v:
			return "", fmt.Errorf("%w: go.work should replace one version of every released module, has %s %s", ErrNotPrepared, r.Old.Path, r.Old.Version)
		default:
			v = r.Old.Version
		}
	}
	if v == "" {
		return "", fmt.Errorf("%w: go.work replaces no released module", ErrNotPrepared)
	}
	return v, nil
}

// releasedSums gathers the released modules' hashes at v from every go.sum
// in the repository (prepare wrote the same lines in each).
func (ws *Workspace) releasedSums(v string) map[string]sums {
	pool := map[string]sums{}
	for _, m := range append(append([]Module(nil), ws.Released...), ws.Others...) {
		data, err := os.ReadFile(filepath.Join(ws.Root, filepath.FromSlash(m.file("go.sum"))))
		if err != nil {
			continue // no go.sum: nothing to gather
		}
		lines := parseGoSum(data)
		for _, s := range ws.Released {
			zh, mh := lookupSum(lines, s.Path, v), lookupSum(lines, s.Path, v+"/go.mod")
			if zh != "" && mh != "" {
				pool[s.Path] = sums{zip: zh, mod: mh}
			}
		}
	}
	return pool
}

// module finds a module of the repository by directory.
func (ws *Workspace) module(dir string) (Module, bool) {
	for _, m := range append(append([]Module(nil), ws.Released...), ws.Others...) {
		if m.Dir == dir {
			return m, true
		}
	}
	return Module{}, false
}
