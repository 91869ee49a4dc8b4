//go:build unix

package policy

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

const label = "secrets.providers.vault.command"

// file creates a regular file with the given mode (chmod after create, so
// the umask does not interfere).
func file(t *testing.T, path string, mode os.FileMode) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func symlink(t *testing.T, target, link string) string {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	return link
}

// chownAway gives path to uid 12345, skipping the test when this user
// cannot (only root can give files away).
func chownAway(t *testing.T, path string) {
	t.Helper()
	if err := os.Chown(path, 12345, -1); err != nil {
		if os.Getuid() != 0 {
			t.Skipf("cannot chown as uid %d: %v", os.Getuid(), err)
		}
		t.Fatal(err)
	}
}

// expect checks that err is an *Error for rule with exactly message want.
func expect(t *testing.T, err error, rule error, want string) {
	t.Helper()
	if !errors.Is(err, rule) {
		t.Fatalf("got %v, want rule %v", err, rule)
	}
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("%v is not a *policy.Error", err)
	}
	if pe.Rule != rule {
		t.Fatalf("Rule = %v, want %v", pe.Rule, rule)
	}
	if err.Error() != want {
		t.Fatalf("message\n got %q\nwant %q", err.Error(), want)
	}
	for _, other := range []error{ErrNotAbsolute, ErrNotReadable, ErrDirectory, ErrSymlink,
		ErrNotRegular, ErrOutsideTrustedDirs, ErrTooOpen, ErrOwner, ErrNotExecutable} {
		if other != rule && errors.Is(err, other) {
			t.Fatalf("%v also matches %v", err, other)
		}
	}
}

func TestCommandAccepted(t *testing.T) {
	dir := t.TempDir()
	for _, mode := range []os.FileMode{0o755, 0o700, 0o744, 0o100, 0o555} {
		p := file(t, filepath.Join(dir, "cmd"+strconv.FormatUint(uint64(mode), 8)), mode)
		if err := CheckCommand("vault", p, nil); err != nil {
			t.Errorf("mode %04o: %v", mode, err)
		}
		if err := CheckCommand("vault", p, []string{dir}); err != nil {
			t.Errorf("mode %04o inside trustedDirs: %v", mode, err)
		}
	}
}

func TestCommandRules(t *testing.T) {
	dir := t.TempDir()
	ok := file(t, filepath.Join(dir, "ok"), 0o755)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		path    string
		trusted []string
		rule    error
		want    string
	}{
		// The gateway refuses these when it validates the config, with a
		// sentence that names no provider: "~" is not expanded.
		{"relative", "bin/resolver", nil, ErrNotAbsolute, "secrets.providers.*.command must be an absolute path."},
		{"dot relative", "./resolver", nil, ErrNotAbsolute, "secrets.providers.*.command must be an absolute path."},
		{"tilde", "~/bin/resolver", nil, ErrNotAbsolute, "secrets.providers.*.command must be an absolute path."},
		{"bare tilde", "~", nil, ErrNotAbsolute, "secrets.providers.*.command must be an absolute path."},
		{"empty", "", nil, ErrNotAbsolute, "secrets.providers.*.command must be an absolute path."},
		{"missing", filepath.Join(dir, "nope"), nil, ErrNotReadable, label + " is not readable: " + filepath.Join(dir, "nope")},
		{"missing parent", filepath.Join(dir, "nope", "x"), nil, ErrNotReadable, label + " is not readable: " + filepath.Join(dir, "nope", "x")},
		{"directory", dir, nil, ErrDirectory, label + " must be a file: " + dir},
		{"symlink", symlink(t, ok, filepath.Join(dir, "link")), nil, ErrSymlink, label + " must not be a symlink: " + filepath.Join(dir, "link")},
		// lstat sees the link, not the directory behind it.
		{"symlink to directory", symlink(t, dir, filepath.Join(dir, "dirlink")), nil, ErrSymlink, label + " must not be a symlink: " + filepath.Join(dir, "dirlink")},
		{"dangling symlink", symlink(t, filepath.Join(dir, "gone"), filepath.Join(dir, "dangling")), nil, ErrSymlink, label + " must not be a symlink: " + filepath.Join(dir, "dangling")},
		{"fifo", fifo, nil, ErrNotRegular, label + " must be a regular file: " + fifo},
		{"device", "/dev/null", nil, ErrNotRegular, label + " must be a regular file: /dev/null"},
		{"outside trustedDirs", ok, []string{filepath.Join(dir, "bin")}, ErrOutsideTrustedDirs, label + " is outside trustedDirs: " + ok},
		{"group-writable", file(t, filepath.Join(dir, "g"), 0o775), nil, ErrTooOpen, label + " permissions are too open: " + filepath.Join(dir, "g")},
		{"world-writable", file(t, filepath.Join(dir, "w"), 0o757), nil, ErrTooOpen, label + " permissions are too open: " + filepath.Join(dir, "w")},
		{"not executable", file(t, filepath.Join(dir, "rw"), 0o644), nil, ErrNotExecutable, label + " must be executable by its owner: " + filepath.Join(dir, "rw")},
		{"group-executable only", file(t, filepath.Join(dir, "gx"), 0o610), nil, ErrNotExecutable, label + " must be executable by its owner: " + filepath.Join(dir, "gx")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expect(t, CheckCommand("vault", c.path, c.trusted), c.rule, c.want)
		})
	}
}

func TestSocketIsNotRegular(t *testing.T) {
	dir, err := os.MkdirTemp("/tmp", "pol")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "s")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("cannot create a unix socket: %v", err)
	}
	defer l.Close()
	expect(t, CheckCommand("vault", sock, nil), ErrNotRegular, label+" must be a regular file: "+sock)
}

func TestOwner(t *testing.T) {
	dir := t.TempDir()
	p := file(t, filepath.Join(dir, "theirs"), 0o755)
	chownAway(t, p)
	err := CheckCommand("vault", p, nil)
	expect(t, err, ErrOwner, label+" must be owned by the current user (uid="+strconv.Itoa(os.Getuid())+"): "+p)
	var pe *Error
	errors.As(err, &pe)
	if pe.UID != os.Getuid() || pe.Owner != 12345 {
		t.Fatalf("UID %d Owner %d", pe.UID, pe.Owner)
	}
	// Being root exempts nothing: only an exact uid match passes, and a
	// file of our own does.
	if err := CheckSecretFile("key", file(t, filepath.Join(dir, "key"), 0o600), nil, false); err != nil {
		t.Fatal(err)
	}
}

// The rules apply in the gateway's order: each case breaks two rules and
// must report the earlier one.
func TestOrder(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	outside := file(t, filepath.Join(dir, "groupw"), 0o775)
	expect(t, CheckCommand("vault", outside, []string{bin}), ErrOutsideTrustedDirs, label+" is outside trustedDirs: "+outside)

	// a directory outside trustedDirs: directory first
	expect(t, CheckCommand("vault", bin, []string{filepath.Join(dir, "x")}), ErrDirectory, label+" must be a file: "+bin)

	// a symlink outside trustedDirs: symlink first
	l := symlink(t, outside, filepath.Join(dir, "l"))
	expect(t, CheckCommand("vault", l, []string{bin}), ErrSymlink, label+" must not be a symlink: "+l)

	// a fifo outside trustedDirs: regular-file first
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	expect(t, CheckCommand("vault", fifo, []string{bin}), ErrNotRegular, label+" must be a regular file: "+fifo)

	// too open and not executable: permissions first
	rw := file(t, filepath.Join(dir, "rw"), 0o666)
	expect(t, CheckCommand("vault", rw, nil), ErrTooOpen, label+" permissions are too open: "+rw)

	// too open and someone else's: permissions first; someone else's and
	// not executable: owner first
	theirsOpen := file(t, filepath.Join(dir, "theirs-open"), 0o775)
	theirsRW := file(t, filepath.Join(dir, "theirs-rw"), 0o644)
	chownAway(t, theirsOpen)
	chownAway(t, theirsRW)
	expect(t, CheckCommand("vault", theirsOpen, nil), ErrTooOpen, label+" permissions are too open: "+theirsOpen)
	uid := strconv.Itoa(os.Getuid())
	expect(t, CheckCommand("vault", theirsRW, nil), ErrOwner, label+" must be owned by the current user (uid="+uid+"): "+theirsRW)
}

func TestTrustedDirsOnFiles(t *testing.T) {
	root := t.TempDir()
	bin := filepath.Join(root, "bin")
	cmd := file(t, filepath.Join(bin, "sub", "cmd"), 0o755)
	sibling := file(t, filepath.Join(root, "bin2", "cmd"), 0o755)
	accepted := []struct{ path, dir string }{
		{cmd, bin},
		{cmd, bin + "/"},
		{cmd, bin + "//"},
		{cmd, filepath.Join(bin, "sub")},
		{cmd, root + "/bin/../bin"},
		{bin + "/sub/../sub/cmd", bin},
		{bin + "/./sub/cmd", bin + "/."},
	}
	for _, c := range accepted {
		if err := CheckCommand("vault", c.path, []string{"/nonexistent", c.dir}); err != nil {
			t.Errorf("%s in %s: %v", c.path, c.dir, err)
		}
	}
	// A ".." that climbs out of the trusted dir is outside, even though
	// the file exists: containment is judged on the cleaned path.
	escaped := bin + "/sub/../../bin2/cmd"
	expect(t, CheckCommand("vault", escaped, []string{bin}), ErrOutsideTrustedDirs, label+" is outside trustedDirs: "+escaped)
	// A prefix sibling is not inside.
	expect(t, CheckCommand("vault", sibling, []string{bin}), ErrOutsideTrustedDirs, label+" is outside trustedDirs: "+sibling)
}

// Containment is lexical: a trusted dir reached through a symlink does not
// vouch for the directory it points to, nor the other way round.
func TestTrustedDirsLexical(t *testing.T) {
	root := t.TempDir()
	realDir := filepath.Join(root, "real")
	cmd := file(t, filepath.Join(realDir, "cmd"), 0o755)
	alias := symlink(t, realDir, filepath.Join(root, "alias"))
	if err := CheckCommand("vault", cmd, []string{alias}); !errors.Is(err, ErrOutsideTrustedDirs) {
		t.Fatalf("real path under a symlinked trusted dir: %v", err)
	}
	// The command named through the alias: parents are not checked for
	// symlinks, and the name is lexically inside the alias.
	if err := CheckCommand("vault", filepath.Join(alias, "cmd"), []string{alias}); err != nil {
		t.Fatalf("command through a symlinked parent: %v", err)
	}
}

func TestInTrustedDirs(t *testing.T) {
	cases := []struct {
		path string
		dirs []string
		want bool
	}{
		{"/a/bin/x", []string{"/a/bin"}, true},
		{"/a/bin/x", []string{"/a/bin/"}, true},
		{"/a/bin/sub/x", []string{"/a/bin"}, true},
		{"/a/bin", []string{"/a/bin"}, true},
		{"/a/bin/", []string{"/a/bin"}, true},
		{"/a/bin2/x", []string{"/a/bin"}, false},
		{"/a/bi/x", []string{"/a/bin"}, false},
		{"/a/x", []string{"/a/bin"}, false},
		{"/a/bin/../x", []string{"/a/bin"}, false},
		{"/a/bin/sub/../x", []string{"/a/bin"}, true},
		{"/a/x", []string{"/a/bin/.."}, true},
		{"/x", []string{"/"}, true},
		{"/a/bin/x", []string{"/b", "/a"}, true},
		{"/a/bin/x", nil, false},
		// As in the gateway, any relative path starting with ".." is
		// outside, including a name that merely starts with "..".
		{"/a/bin/..x", []string{"/a/bin"}, false},
		{"/a/bin/sub/..x", []string{"/a/bin"}, true},
	}
	for _, c := range cases {
		if got := InTrustedDirs(c.path, c.dirs); got != c.want {
			t.Errorf("InTrustedDirs(%q, %q) = %v, want %v", c.path, c.dirs, got, c.want)
		}
	}
}

func TestSecretFile(t *testing.T) {
	dir := t.TempDir()
	for _, mode := range []os.FileMode{0o600, 0o400, 0o700, 0o200} {
		p := file(t, filepath.Join(dir, "ok"+strconv.FormatUint(uint64(mode), 8)), mode)
		if err := CheckSecretFile("age identity", p, nil, false); err != nil {
			t.Errorf("mode %04o: %v", mode, err)
		}
	}
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660, 0o602, 0o610, 0o601, 0o755} {
		p := file(t, filepath.Join(dir, "open"+strconv.FormatUint(uint64(mode), 8)), mode)
		want := "age identity permissions are too open (0" + strconv.FormatUint(uint64(mode), 8) + "; want 0600 or stricter): " + p
		err := CheckSecretFile("age identity", p, nil, false)
		expect(t, err, ErrTooOpen, want)
		var pe *Error
		errors.As(err, &pe)
		if pe.Mode != mode || pe.Forbidden != SecretForbidden {
			t.Errorf("Mode %04o Forbidden %04o", pe.Mode, pe.Forbidden)
		}
	}
}

func TestSecretFileSymlinks(t *testing.T) {
	root := t.TempDir()
	keys := filepath.Join(root, "keys")
	key := file(t, filepath.Join(keys, "key.txt"), 0o600)
	link := symlink(t, key, filepath.Join(keys, "current"))

	expect(t, CheckSecretFile("key", link, nil, false), ErrSymlink, "key must not be a symlink: "+link)
	if err := CheckSecretFile("key", link, nil, true); err != nil {
		t.Fatalf("allowed symlink: %v", err)
	}
	if err := CheckSecretFile("key", link, []string{keys}, true); err != nil {
		t.Fatalf("allowed symlink inside trustedDirs: %v", err)
	}
	// A chain of links resolves to the final target.
	chain := symlink(t, link, filepath.Join(keys, "chain"))
	if err := CheckSecretFile("key", chain, []string{keys}, true); err != nil {
		t.Fatalf("chain: %v", err)
	}

	// The target is checked with the same rules, and reported by its path.
	open := file(t, filepath.Join(keys, "open.txt"), 0o644)
	openLink := symlink(t, open, filepath.Join(keys, "open-link"))
	expect(t, CheckSecretFile("key", openLink, nil, true), ErrTooOpen, "key permissions are too open (0644; want 0600 or stricter): "+open)

	// trustedDirs applies to the link and to the target.
	elsewhere := file(t, filepath.Join(root, "elsewhere", "key"), 0o600)
	out := symlink(t, elsewhere, filepath.Join(keys, "out"))
	expect(t, CheckSecretFile("key", out, []string{keys}, true), ErrOutsideTrustedDirs, "key is outside trustedDirs: "+elsewhere)
	in := symlink(t, key, filepath.Join(root, "elsewhere", "in"))
	expect(t, CheckSecretFile("key", in, []string{keys}, true), ErrOutsideTrustedDirs, "key is outside trustedDirs: "+in)

	dangling := symlink(t, filepath.Join(keys, "gone"), filepath.Join(keys, "dangling"))
	err := CheckSecretFile("key", dangling, nil, true)
	expect(t, err, ErrNotReadable, "key symlink target is not readable: "+dangling)
	var pe *Error
	if errors.As(err, &pe); pe.Err == nil {
		t.Error("no system error recorded")
	}

	toDir := symlink(t, keys, filepath.Join(root, "to-dir"))
	expect(t, CheckSecretFile("key", toDir, nil, true), ErrDirectory, "key must be a file: "+keys)

	fifo := filepath.Join(keys, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	toFifo := symlink(t, fifo, filepath.Join(keys, "to-fifo"))
	expect(t, CheckSecretFile("key", toFifo, nil, true), ErrNotRegular, "key must be a regular file: "+fifo)

	theirs := file(t, filepath.Join(keys, "theirs"), 0o600)
	chownAway(t, theirs)
	toTheirs := symlink(t, theirs, filepath.Join(keys, "to-theirs"))
	expect(t, CheckSecretFile("key", toTheirs, nil, true), ErrOwner,
		"key must be owned by the current user (uid="+strconv.Itoa(os.Getuid())+"): "+theirs)
}

// Check never opens what it checks: a fifo with no writer would block an
// open forever, and a check of it returns at once.
func TestCheckDoesNotOpen(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	link := symlink(t, fifo, fifo+"-link")
	if err := CheckSecretFile("key", link, nil, true); !errors.Is(err, ErrNotRegular) {
		t.Fatal(err)
	}
}

func TestGeneralRules(t *testing.T) {
	dir := t.TempDir()
	p := file(t, filepath.Join(dir, "x"), 0o664)
	// Zero Rules: structural rules only.
	if err := Check("x", p, Rules{}); err != nil {
		t.Fatal(err)
	}
	expect(t, Check("x", p, Rules{Forbidden: 0o002, Executable: true}), ErrNotExecutable, "x must be executable by its owner: "+p)
	// An executable with a stricter mask is advised to 0700.
	p2 := file(t, filepath.Join(dir, "y"), 0o750)
	expect(t, Check("y", p2, Rules{Forbidden: 0o077, Executable: true}), ErrTooOpen, "y permissions are too open (0750; want 0700 or stricter): "+p2)
}

func TestErrorFallbackMessage(t *testing.T) {
	e := &Error{Rule: errors.New("custom"), Label: "l", Path: "/p"}
	if e.Error() != "l: custom: /p" {
		t.Fatal(e.Error())
	}
}
