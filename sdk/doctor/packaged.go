package doctor

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// packageDirs are where packages put binaries: apt's /usr/bin, and
// Homebrew's bin/ (links into its Cellar) on Intel macs, Apple silicon
// and Linux.
var packageDirs = []string{"/usr/bin", "/usr/local/bin", "/opt/homebrew/bin", "/home/linuxbrew/.linuxbrew/bin"}

// packagedBinary is the binary a package installed, as found.
type packagedBinary struct {
	path  string // where it was found (a link, for Homebrew)
	build build
	// first tells that its bare name runs it: it is the first of that
	// name on PATH.
	first bool
}

// findPackaged looks for the binary the copy at command came from: the
// same program under the same name, first in the directories of
// pathList (the PATH doctor runs with, the gateway user's), then in
// packageDirs. The copy itself, reached through any link or under
// another name on PATH, is not it.
func findPackaged(command string, copied build, pathList string) (packagedBinary, bool) {
	self, err := os.Stat(command)
	if err != nil {
		return packagedBinary{}, false
	}
	name := filepath.Base(command)
	onPath := searchPath(pathList)
	firstOnPath := ""
	for i, dir := range append(onPath, packageDirs...) {
		if i >= len(onPath) && slices.Contains(onPath, dir) {
			continue // already looked at
		}
		candidate := filepath.Join(dir, name)
		info, err := os.Stat(candidate)
		if err != nil || !info.Mode().IsRegular() || info.Mode().Perm()&0o111 == 0 {
			continue
		}
		if i < len(onPath) && firstOnPath == "" {
			firstOnPath = candidate
		}
		if os.SameFile(info, self) {
			continue
		}
		if b, ok := readBuild(candidate); ok && b.program == copied.program {
			return packagedBinary{path: candidate, build: b, first: candidate == firstOnPath}, true
		}
	}
	return packagedBinary{}, false
}

// searchPath is PATH's directories as a shell searches them; empty and
// relative entries are left out, as exec.LookPath refuses what they find.
func searchPath(pathList string) []string {
	var dirs []string
	for _, dir := range filepath.SplitList(pathList) {
		if filepath.IsAbs(dir) && !slices.Contains(dirs, filepath.Clean(dir)) {
			dirs = append(dirs, filepath.Clean(dir))
		}
	}
	return dirs
}

// errDiffer ends a comparison at the first difference.
var errDiffer = errors.New("files differ")

// sameContent tells whether the files at a and b hold the same bytes,
// reading both only as far as the first difference.
func sameContent(a, b string) (bool, error) {
	fa, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return false, err
	}
	defer fb.Close()
	ia, err := fa.Stat()
	if err != nil {
		return false, err
	}
	ib, err := fb.Stat()
	if err != nil {
		return false, err
	}
	if ia.Size() != ib.Size() {
		return false, nil
	}
	err = compareReaders(fa, fb)
	if errors.Is(err, errDiffer) {
		return false, nil
	}
	return err == nil, err
}

func compareReaders(a, b io.Reader) error {
	const chunk = 64 << 10
	bufA, bufB := make([]byte, chunk), make([]byte, chunk)
	for {
		na, errA := io.ReadFull(a, bufA)
		nb, errB := io.ReadFull(b, bufB)
		if !bytes.Equal(bufA[:na], bufB[:nb]) {
			return errDiffer
		}
		endA := errors.Is(errA, io.EOF) || errors.Is(errA, io.ErrUnexpectedEOF)
		endB := errors.Is(errB, io.EOF) || errors.Is(errB, io.ErrUnexpectedEOF)
		switch {
		case errA != nil && !endA:
			return errA
		case errB != nil && !endB:
			return errB
		case endA && endB:
			return nil
		case endA != endB:
			return errDiffer
		}
	}
}
