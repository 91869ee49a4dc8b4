package doctor

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/execref/execref/sdk/gatewayconfig"
	"github.com/execref/execref/sdk/install"
	"github.com/execref/execref/sdk/lazyregexp"
)

// Codes of the packaged check's warnings, for --json.
const (
	codeOlderThanPackaged = "OLDER_THAN_PACKAGED"
	codeDiffersPackaged   = "DIFFERS_FROM_PACKAGED"
)

// checkOutdated compares the copy of an execref resolver at command (what
// `install` made, and what the gateway runs) with the binary its package
// installed, which a package upgrade replaces and the copy does not. The
// copy older than the package, or another build of the same version, is
// a warning saying how to refresh it; a copy newer than the package is
// only noted. Nothing is said when no packaged binary of the same name and
// program is found, or when the command is the packaged binary itself.
// Neither binary is run: versions come from their build information.
func (d *doctor) checkOutdated(provider, command string) []Finding {
	if slices.Contains(packageDirs, filepath.Dir(command)) {
		return nil // the provider runs the package's binary itself
	}
	copied, ok := readBuild(command)
	if !ok {
		return nil
	}
	pathList, _ := d.lookup("PATH")
	pkg, ok := findPackaged(command, copied, pathList)
	if !ok {
		return nil
	}
	same, err := sameContent(command, pkg.path)
	if err != nil {
		return nil // one of them is unreadable; the command check says so if it matters
	}
	if same {
		return []Finding{{Check: CheckPackaged, Status: StatusOK,
			Detail: "the copy is the same build as the packaged " + pkg.path + " (" + pkg.build.describe() + ")"}}
	}
	order, known := compareBuilds(copied, pkg.build)
	if known && order > 0 {
		return []Finding{{Check: CheckPackaged, Status: StatusOK,
			Detail: "the copy is " + copied.describe() + ", newer than the packaged " + pkg.path + " (" + pkg.build.describe() + ")"}}
	}
	f := Finding{Check: CheckPackaged, Status: StatusWarn, Code: codeDiffersPackaged,
		Fix: "run `" + d.installCommand(provider, command, pkg) + "` again: it replaces the copy with the packaged binary"}
	switch {
	case known && order < 0:
		f.Code = codeOlderThanPackaged
		f.Detail = "the copy is " + copied.describe() + ", the packaged " + pkg.path + " is " + pkg.build.describe() +
			": the gateway runs the old one until the copy is replaced"
	case known:
		f.Detail = "the copy and the packaged " + pkg.path + " are both " + copied.describe() + " but not the same build"
	default:
		f.Detail = "the copy (" + copied.describe() + ") is not the packaged " + pkg.path + " (" + pkg.build.describe() +
			"), and their build information does not tell which is newer"
	}
	return []Finding{f}
}

// installCommand is the command that refreshes the copy at command from
// pkg: by its bare name when that runs the packaged binary, with --dir
// when the copy is not in install's default directory (as the gateway's
// environment locates it) and --name when the provider is not named as
// install names it by default (the name only changes the block install
// prints; a resolver that names itself otherwise, such as onepassword,
// gets the --name it does not need, which is harmless).
func (d *doctor) installCommand(provider, command string, pkg packagedBinary) string {
	exe := pkg.path
	if pkg.first {
		exe = filepath.Base(pkg.path)
	}
	args := []string{shellWord(exe), "install"}
	dir := filepath.Dir(command)
	if def, err := install.DefaultDir(gatewayconfig.Env(d.lookup)); err != nil || filepath.Clean(def) != dir {
		args = append(args, "--dir", shellWord(dir))
	}
	if provider != install.ShortName(filepath.Base(command)) {
		args = append(args, "--name", shellWord(provider))
	}
	return strings.Join(args, " ")
}

// plainWord is what a shell reads as one word without quotes.
var plainWord = lazyregexp.New(`^[A-Za-z0-9_./:@%+=,-]+$`)

// shellWord quotes s for a POSIX shell when it needs it.
func shellWord(s string) string {
	if plainWord().MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
