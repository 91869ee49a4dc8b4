package doctor

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/policy"
)

// checkParentDirs reports the directories above the command that someone
// other than the user (or root) can change: whoever can write a
// directory on the way can rename the command away and put their own
// binary in its place, and the gateway, which checks only the file, would
// run it. Both the path as written and the path with symlinks resolved are
// walked, since replacing a symlinked directory is as good as replacing
// the file.
func checkParentDirs(command string) Finding {
	path := host.CommandPath(command)
	if !filepath.IsAbs(path) {
		return Finding{} // the command policy reports it
	}
	var problems []string
	seen := map[string]bool{}
	walk := func(p string) {
		for child, dir := p, filepath.Dir(p); ; child, dir = dir, filepath.Dir(dir) {
			if !seen[dir] {
				seen[dir] = true
				if why := dirOpenTo(dir, child); why != "" {
					problems = append(problems, dir+" "+why)
				}
			}
			if dir == filepath.Dir(dir) {
				return
			}
		}
	}
	walk(path)
	if real, err := filepath.EvalSymlinks(path); err == nil && real != path {
		walk(real)
	}
	if len(problems) == 0 {
		return Finding{Check: CheckParentDirs, Status: StatusOK,
			Detail: "no directory above the command can be changed by another user"}
	}
	return Finding{Check: CheckParentDirs, Status: StatusWarn,
		Detail: "another user can replace the command (the gateway does not check this): " + strings.Join(problems, "; "),
		Fix:    "chmod go-w the directories named, or install the resolver in a directory of your own, e.g. ~/.openclaw/bin (mode 0755)"}
}

// dirOpenTo tells why dir lets someone else replace child, or "".
func dirOpenTo(dir, child string) string {
	info, err := os.Lstat(dir)
	if err != nil {
		return ""
	}
	mode := info.Mode()
	owner, ok := policy.FileOwner(info)
	if ok && !trustedOwner(owner) {
		return "is owned by another user (uid " + itoa(owner) + ")"
	}
	if mode.Perm()&0o022 == 0 {
		return ""
	}
	// A sticky directory (/tmp) lets only an entry's owner rename it, so
	// an entry of the user's own or root's is safe there.
	if mode&fs.ModeSticky != 0 {
		if ci, err := os.Lstat(child); err == nil {
			if co, ok := policy.FileOwner(ci); ok && trustedOwner(co) {
				return ""
			}
		}
	}
	return "is writable by " + writers(mode.Perm()) + " (mode " + octal(mode.Perm()) + ")"
}

// trustedOwner: the user and root can replace the binary anyway.
func trustedOwner(uid int) bool { return uid == 0 || uid == os.Getuid() }

func writers(perm fs.FileMode) string {
	switch {
	case perm&0o022 == 0o022:
		return "group and others"
	case perm&0o020 != 0:
		return "its group"
	}
	return "others"
}
