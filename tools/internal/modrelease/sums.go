package modrelease

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/zip"
)

// sums are the two go.sum hashes of a module version: its zip ("path v")
// and its go.mod ("path v/go.mod").
type sums struct{ zip, mod string }

// hashModule returns the hashes of module m at version v as a Go proxy
// would serve it from revision rev (a commit, tag or tree): the zip that
// cmd/go builds from git archive, the root LICENSE included when the
// module has none. The zip is written to zipPath, or to a temporary file
// when zipPath is empty.
func hashModule(root string, m Module, v, rev, zipPath string) (sums, error) {
	if zipPath == "" {
		tmp, err := os.MkdirTemp("", "modrelease-zip-")
		if err != nil {
			return sums{}, err
		}
		defer os.RemoveAll(tmp)
		zipPath = filepath.Join(tmp, "m.zip")
	}
	if err := writeZip(zipPath, root, m, v, rev); err != nil {
		return sums{}, err
	}
	zh, err := dirhash.HashZip(zipPath, dirhash.Hash1)
	if err != nil {
		return sums{}, err
	}
	gomod, ok, err := gitBlob(root, rev, m.file("go.mod"))
	if err != nil {
		return sums{}, err
	}
	if !ok {
		return sums{}, fmt.Errorf("%s has no %s", rev, m.file("go.mod"))
	}
	mh, err := goModHash(gomod)
	return sums{zip: zh, mod: mh}, err
}

func writeZip(zipPath, root string, m Module, v, rev string) error {
	f, err := os.Create(zipPath)
	if err != nil {
		return err
	}
	subdir := m.Dir
	if subdir == "." {
		subdir = ""
	}
	err = zip.CreateFromVCS(f, module.Version{Path: m.Path, Version: v}, root, rev, subdir)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// goModHash is the "/go.mod" hash: Hash1 over a file list holding just
// go.mod, as cmd/go computes it.
func goModHash(data []byte) (string, error) {
	return dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	})
}

// sumLine is one go.sum line; version carries the "/go.mod" suffix of a
// go.mod hash.
type sumLine struct{ path, version, hash string }

func parseGoSum(data []byte) []sumLine {
	var lines []sumLine
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) == 3 {
			lines = append(lines, sumLine{f[0], f[1], f[2]})
		}
	}
	return lines
}

// rewriteGoSum drops every line about the modules drop names and adds the
// hashes of want (module path → sums) at version v, sorted as cmd/go
// writes go.sum.
func rewriteGoSum(data []byte, drop func(modPath string) bool, v string, want map[string]sums) []byte {
	var kept []sumLine
	for _, l := range parseGoSum(data) {
		if !drop(l.path) {
			kept = append(kept, l)
		}
	}
	for p, s := range want {
		kept = append(kept, sumLine{p, v, s.zip}, sumLine{p, v + "/go.mod", s.mod})
	}
	mods := make([]module.Version, len(kept))
	hashes := map[module.Version][]string{}
	for i, l := range kept {
		mods[i] = module.Version{Path: l.path, Version: l.version}
		hashes[mods[i]] = append(hashes[mods[i]], l.hash)
	}
	module.Sort(mods)
	var b strings.Builder
	for i, m := range mods {
		if i > 0 && mods[i-1] == m {
			continue // its hashes were written with the first
		}
		for _, h := range hashes[m] {
			b.WriteString(m.Path + " " + m.Version + " " + h + "\n")
		}
	}
	return []byte(b.String())
}

// lookupSum returns the hash a go.sum holds for path at version (with
// "/go.mod" for the go.mod hash), or "".
func lookupSum(lines []sumLine, modPath, version string) string {
	for _, l := range lines {
		if l.path == modPath && l.version == version {
			return l.hash
		}
	}
	return ""
}
