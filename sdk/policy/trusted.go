package policy

import (
	"path/filepath"
	"strings"
)

// InTrustedDirs reports whether path is inside (or is) one of dirs.
//
// The comparison is lexical, like the gateway's: both sides are made
// absolute and cleaned (so trailing slashes and ".." segments are
// normalised), then path must be reachable from the directory without
// going up. No symlink is resolved, neither in dirs nor in path. As in the
// gateway, any relative path starting with ".." counts as outside, which
// also refuses a file whose own name starts with ".." directly inside a
// trusted dir; that errs on the safe side.
func InTrustedDirs(path string, dirs []string) bool {
	for _, dir := range dirs {
		if inside(dir, path) {
			return true
		}
	}
	return false
}

func inside(dir, path string) bool {
	d, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	p, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(d, p)
	if err != nil {
		return false
	}
	// filepath.Rel says "." where Node's path.relative says "".
	return rel == "." || (!strings.HasPrefix(rel, "..") && !filepath.IsAbs(rel))
}
