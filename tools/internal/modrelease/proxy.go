package modrelease

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// WriteProxy writes release v of every released module, from its tag, into
// dir as a file-based module proxy (GOPROXY=file://dir): for each module
// <escaped path>/@v/list, <v>.info, <v>.mod and <v>.zip, as the Go module
// proxy protocol lays them out. Versions already in a list are kept. It
// fails before go would if a go.sum at a tag disagrees with a module as
// served.
func WriteProxy(ws *Workspace, v, dir string) error {
	if err := ws.checkVersion(v); err != nil {
		return err
	}
	hashes := map[string]sums{}
	var at []moduleAt
	for _, m := range ws.Released {
		tag := m.Tag(v)
		if _, err := git(ws.Root, nil, "rev-parse", "--verify", "--quiet", "refs/tags/"+tag); err != nil {
			return fmt.Errorf("%w: no tag %s", ErrNotPrepared, tag)
		}
		base, err := proxyBase(dir, m.Path, v)
		if err != nil {
			return err
		}
		h, err := hashModule(ws.Root, m, v, tag, base+".zip")
		if err != nil {
			return fmt.Errorf("%s: %w", tag, err)
		}
		hashes[m.Path] = h
		at = append(at, moduleAt{m, tag})
		if err := writeProxyVersion(ws.Root, m, v, tag, base); err != nil {
			return fmt.Errorf("%s: %w", tag, err)
		}
	}
	return ws.verifySums(v, at, hashes)
}

// proxyBase is the path of a version's files without their extension,
// the module path and version case-encoded as the protocol requires.
func proxyBase(dir, modPath, v string) (string, error) {
	ep, err := module.EscapePath(modPath)
	if err != nil {
		return "", err
	}
	ev, err := module.EscapeVersion(v)
	if err != nil {
		return "", err
	}
	base := filepath.Join(dir, filepath.FromSlash(ep), "@v", ev)
	return base, os.MkdirAll(filepath.Dir(base), 0o755)
}

// writeProxyVersion writes the .mod, .info and list entries of a version
// whose .zip is written.
func writeProxyVersion(root string, m Module, v, tag, base string) error {
	gomod, _, err := gitBlob(root, tag, m.file("go.mod"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(base+".mod", gomod, 0o644); err != nil {
		return err
	}
	out, err := git(root, nil, "log", "-1", "--format=%cI", tag)
	if err != nil {
		return err
	}
	when, err := time.Parse(time.RFC3339, strings.TrimSpace(out))
	if err != nil {
		return err
	}
	info, err := json.Marshal(struct {
		Version string
		Time    time.Time
	}{v, when.UTC()})
	if err != nil {
		return err
	}
	if err := os.WriteFile(base+".info", info, 0o644); err != nil {
		return err
	}
	list := filepath.Join(filepath.Dir(base), "list")
	old, err := os.ReadFile(list)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	versions := strings.Fields(string(old))
	if !slices.Contains(versions, v) {
		versions = append(versions, v)
	}
	semver.Sort(versions)
	return os.WriteFile(list, []byte(strings.Join(versions, "\n")+"\n"), 0o644)
}
