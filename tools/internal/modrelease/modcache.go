package modrelease

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/module"
)

// purgeModules removes version v of the released modules from a module
// cache, and nothing else.
func purgeModules(ws *Workspace, modcache, v string) error {
	ev, err := module.EscapeVersion(v)
	if err != nil {
		return err
	}
	for _, m := range ws.Released {
		ep, err := module.EscapePath(m.Path)
		if err != nil {
			return err
		}
		dl := filepath.Join(modcache, "cache", "download", filepath.FromSlash(ep), "@v", ev)
		for _, p := range []string{filepath.Join(modcache, filepath.FromSlash(ep)+"@"+ev), dl + ".info", dl + ".mod", dl + ".zip", dl + ".ziphash", dl + ".lock", dl + ".partial"} {
			if err := removeAll(p); err != nil {
				return err
			}
		}
		if err := dropFromList(filepath.Join(filepath.Dir(dl), "list"), v); err != nil {
			return err
		}
	}
	return nil
}

// dropFromList removes a version from a download cache's list of versions.
func dropFromList(list, v string) error {
	data, err := os.ReadFile(list)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	versions := strings.Fields(string(data))
	kept := slices.DeleteFunc(slices.Clone(versions), func(s string) bool { return s == v })
	if len(kept) == len(versions) {
		return nil
	}
	if len(kept) == 0 {
		return os.Remove(list)
	}
	return os.WriteFile(list, []byte(strings.Join(kept, "\n")+"\n"), 0o644)
}

// removeAll removes a tree even where the module cache made it read-only.
func removeAll(dir string) error {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			err = os.Chmod(p, 0o755)
		}
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.RemoveAll(dir)
}
