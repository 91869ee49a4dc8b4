package onepassword

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/policy"
)

// envOpPath is the bundled resolver's variable for op's absolute path.
const envOpPath = "CLAW_1PASSWORD_OP"

// errOpNotFound is a missing op: no candidate exists.
var errOpNotFound = errors.New("1Password CLI was not found")

// findOp returns the op binary to run, found as the bundled resolver finds
// it (onepassword-op-path.js): --op, else CLAW_1PASSWORD_OP, else "op" in
// each PATH directory. A given path must be absolute and trusted; a PATH
// candidate that does not exist is skipped, an untrusted one is remembered
// and reported when no trusted one follows. The path returned is the
// resolved one, symlinks followed, as the bundled resolver runs it.
func (r *Resolver) findOp() (string, error) {
	configured, label := r.op, "--op"
	if configured == "" {
		v, _ := r.lookupEnv(envOpPath)
		configured, label = strings.TrimSpace(v), envOpPath
	}
	if configured != "" {
		if !filepath.IsAbs(configured) {
			return "", fmt.Errorf("%w: %s must be an absolute path: %s", sdk.ErrConfig, label, configured)
		}
		path, err := trustedExecutable(configured)
		switch {
		case isNotExist(err):
			return "", fmt.Errorf("%w: %s: %w at %s: install the official 1Password CLI v2 there, or correct the path", sdk.ErrConfig, label, errOpNotFound, configured)
		case err != nil:
			return "", fmt.Errorf("%w: refusing unsafe 1Password CLI path %q (%s): %w", sdk.ErrConfig, configured, label, err)
		}
		return path, nil
	}
	pathEnv, _ := r.lookupEnv("PATH")
	var unsafe error
	for _, dir := range filepath.SplitList(pathEnv) {
		if dir == "" {
			continue
		}
		candidate, err := filepath.Abs(filepath.Join(dir, opExecutable()))
		if err != nil {
			continue
		}
		path, err := trustedExecutable(candidate)
		switch {
		case err == nil:
			return path, nil
		case isNotExist(err):
			continue
		default:
			unsafe = fmt.Errorf("%w: refusing unsafe 1Password CLI path %q (from PATH): %w", sdk.ErrConfig, candidate, err)
		}
	}
	if unsafe != nil {
		return "", unsafe
	}
	where := "PATH is not set (the gateway passes it only when passEnv lists it)"
	if pathEnv != "" {
		where = "no " + opExecutable() + " in PATH"
	}
	return "", fmt.Errorf("%w: %w: %s; install the official 1Password CLI v2 and pass --op /absolute/path/to/op, set %s, or add PATH to passEnv",
		sdk.ErrConfig, errOpNotFound, where, envOpPath)
}

func opExecutable() string {
	if runtime.GOOS == "windows" {
		return "op.exe"
	}
	return "op"
}

func isNotExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// trustedExecutable is the gateway's resolveTrustedExecutablePath, which
// the bundled resolver applies to op: the path, symlinks resolved, is an
// executable regular file; it and every directory above it are owned by
// the current user or root and writable by nobody else (a sticky directory
// such as /tmp excepted); a script's interpreter is absolute, not env, and
// trusted the same way. So a Homebrew symlink is fine, a copy of op in a
// directory another user can write is not.
func trustedExecutable(path string) (string, error) {
	return trustedFile(path, map[string]bool{})
}

func trustedFile(path string, seen map[string]bool) (string, error) {
	resolved, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", err
	}
	info, err := os.Stat(resolved)
	if err != nil {
		return "", err
	}
	if !info.Mode().IsRegular() {
		return "", fmt.Errorf("path is not a regular file: %s", resolved)
	}
	if info.Mode().Perm()&0o111 == 0 {
		return "", fmt.Errorf("path is not executable: %s", resolved)
	}
	if err := trustedChain(resolved); err != nil {
		return "", err
	}
	interpreter, err := shebang(resolved)
	if err != nil || interpreter == "" {
		return resolved, err
	}
	if seen[resolved] {
		return "", fmt.Errorf("script interpreter cycle detected: %s", resolved)
	}
	seen[resolved] = true
	if filepath.Base(interpreter) == "env" {
		return "", fmt.Errorf("script interpreter may not use env indirection: %s", resolved)
	}
	canonical, err := trustedFile(interpreter, seen)
	if err != nil {
		return "", fmt.Errorf("script interpreter of %s: %w", resolved, err)
	}
	if canonical != interpreter {
		return "", fmt.Errorf("script interpreter path must be canonical: %s", interpreter)
	}
	return resolved, nil
}

// trustedChain checks path and every directory above it.
func trustedChain(path string) error {
	for p := path; ; p = filepath.Dir(p) {
		info, err := os.Lstat(p)
		if err != nil {
			return fmt.Errorf("permissions could not be verified: %s", p)
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("path changed during permission verification: %s", p)
		}
		if owner, ok := policy.FileOwner(info); ok && owner != os.Getuid() && owner != 0 {
			return fmt.Errorf("path is not owned by the current user or root: %s", p)
		}
		sticky := info.IsDir() && info.Mode()&fs.ModeSticky != 0
		if info.Mode().Perm()&0o022 != 0 && !sticky {
			return fmt.Errorf("path is writable by another user: %s", p)
		}
		if filepath.Dir(p) == p {
			return nil
		}
	}
}

// shebang returns a script's interpreter, "" for a binary.
func shebang(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	buf := make([]byte, 4096)
	n, _ := f.Read(buf)
	buf = buf[:n]
	if !bytes.HasPrefix(buf, []byte("#!")) {
		return "", nil
	}
	line, _, found := bytes.Cut(buf[2:], []byte("\n"))
	if !found {
		return "", fmt.Errorf("script interpreter line is too long: %s", path)
	}
	fields := strings.Fields(string(line))
	if len(fields) == 0 || !filepath.IsAbs(fields[0]) {
		return "", fmt.Errorf("script interpreter must be an absolute path: %s", path)
	}
	return fields[0], nil
}
