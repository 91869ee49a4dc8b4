package modrelease

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"

	"golang.org/x/mod/modfile"
)

// Prepare makes the work tree releasable at version v, to be committed and
// tagged as it is:
//   - every go.mod that requires a released module requires it at v;
//   - go.work replaces v of each released module by its directory, so that
//     workspace commands that walk the module graph (go list -m all, go mod
//     graph) never look v up before it is published;
//   - every go.sum holds the hashes of the released modules at v that its
//     module needs (unless its go.mod replaces them with a directory),
//     computed in dependency order from the files as they will be
//     committed, exactly as a Go proxy will serve them from the tags.
//
// It returns the files it changed.
func Prepare(ws *Workspace, v string) ([]string, error) {
	if err := ws.checkVersion(v); err != nil {
		return nil, err
	}
	if err := requireClean(ws.Root); err != nil {
		return nil, err
	}
	if err := ws.checkDirectives(); err != nil {
		return nil, err
	}
	var changed []string
	write := func(name string, data []byte) error {
		file := filepath.Join(ws.Root, filepath.FromSlash(name))
		old, err := os.ReadFile(file)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if bytes.Equal(old, data) || old == nil && len(data) == 0 {
			return nil
		}
		changed = append(changed, name)
		return os.WriteFile(file, data, 0o644)
	}
	all := append(append([]Module(nil), ws.Released...), ws.Others...)
	for _, m := range all {
		data, err := ws.requireVersion(m, v)
		if err != nil {
			return nil, err
		}
		if err := write(m.file("go.mod"), data); err != nil {
			return nil, err
		}
	}
	work, err := ws.replaceInWork(v)
	if err != nil {
		return nil, err
	}
	if err := write("go.work", work); err != nil {
		return nil, err
	}

	tmp, err := os.MkdirTemp("", "modrelease-index-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	ix, err := newWorktreeIndex(ws.Root, tmp)
	if err != nil {
		return nil, err
	}
	hashes := map[string]sums{}
	for _, m := range all {
		data, err := ws.goSumFor(m, v, hashes)
		if err != nil {
			return nil, err
		}
		if err := write(m.file("go.sum"), data); err != nil {
			return nil, err
		}
		if !ws.released(m.Path) {
			continue
		}
		tree, err := ix.tree()
		if err != nil {
			return nil, err
		}
		if hashes[m.Path], err = hashModule(ws.Root, m, v, tree, ""); err != nil {
			return nil, fmt.Errorf("%s: %w", m.Dir, err)
		}
	}
	return changed, nil
}

// checkDirectives refuses replace and exclude directives in released
// modules: go install pkg@version refuses them in the main module.
func (ws *Workspace) checkDirectives() error {
	for _, m := range ws.Released {
		f, err := ws.readMod(m.file("go.mod"))
		if err != nil {
			return err
		}
		if len(f.Replace) > 0 || len(f.Exclude) > 0 {
			return fmt.Errorf("%w: %s", ErrDirective, m.file("go.mod"))
		}
	}
	return nil
}

// requireVersion returns m's go.mod requiring every released module at v,
// unchanged (not even reformatted) when it already does.
func (ws *Workspace) requireVersion(m Module, v string) ([]byte, error) {
	data, err := os.ReadFile(filepath.Join(ws.Root, filepath.FromSlash(m.file("go.mod"))))
	if err != nil {
		return nil, err
	}
	f, err := modfile.Parse(m.file("go.mod"), data, nil)
	if err != nil {
		return nil, err
	}
	changed := false
	for _, r := range f.Require {
		if ws.released(r.Mod.Path) && r.Mod.Version != v {
			if err := f.AddRequire(r.Mod.Path, v); err != nil {
				return nil, err
			}
			changed = true
		}
	}
	if !changed {
		return data, nil
	}
	f.Cleanup()
	return f.Format()
}

// replaceInWork returns go.work replacing version v of every released
// module by its directory, and no other version of them.
func (ws *Workspace) replaceInWork(v string) ([]byte, error) {
	data, err := os.ReadFile(filepath.Join(ws.Root, "go.work"))
	if err != nil {
		return nil, err
	}
	wf, err := modfile.ParseWork("go.work", data, nil)
	if err != nil {
		return nil, err
	}
	// Added first, each next to the line it replaces (in its block), then
	// the lines for other versions dropped.
	for _, m := range ws.Released {
		if err := wf.AddReplace(m.Path, v, "./"+path.Clean(m.Dir), ""); err != nil {
			return nil, err
		}
	}
	for _, r := range wf.Replace {
		if ws.released(r.Old.Path) && r.Old.Version != v {
			if err := wf.DropReplace(r.Old.Path, r.Old.Version); err != nil {
				return nil, err
			}
		}
	}
	wf.Cleanup()
	return modfile.Format(wf.Syntax), nil
}

// goSumFor returns m's go.sum with the hashes at v of every released
// module it needs and does not replace; hashes holds those computed so far
// (every module m requires comes earlier in dependency order).
func (ws *Workspace) goSumFor(m Module, v string, hashes map[string]sums) ([]byte, error) {
	f, err := ws.readMod(m.file("go.mod"))
	if err != nil {
		return nil, err
	}
	replaced := map[string]bool{}
	for _, r := range f.Replace {
		replaced[r.Old.Path] = true
	}
	want := map[string]sums{}
	for _, p := range ws.closure(m) {
		if replaced[p] {
			continue
		}
		h, ok := hashes[p]
		if !ok {
			return nil, fmt.Errorf("%w: %s needs %s, which is not released before it", ErrCycle, m.Dir, p)
		}
		want[p] = h
	}
	old, err := os.ReadFile(filepath.Join(ws.Root, filepath.FromSlash(m.file("go.sum"))))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if len(want) == 0 && !slices.ContainsFunc(parseGoSum(old), func(l sumLine) bool { return ws.released(l.path) }) {
		return old, nil // nothing of ours in it: left as it is
	}
	return rewriteGoSum(old, ws.released, v, want), nil
}
