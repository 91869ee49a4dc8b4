package vault

import (
	"fmt"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/policy"
)

// credential returns the first of: a literal value (a flag, then an env
// value), or the content of a file (a flag, then an env path), the file
// checked by the SDK's secret-file policy first.
func (r *Resolver) credential(what, flagValue, envValue, flagFile, envFile string) (string, error) {
	if v := first(flagValue, envValue); v != "" {
		return v, nil
	}
	file := first(flagFile, envFile)
	if file == "" {
		return "", fmt.Errorf("%w: no %s given (see --help)", sdk.ErrConfig, what)
	}
	return r.readCredentialFile(what, file)
}

// maxCredentialBytes bounds a token, secret id or JWT file: a JWT is a
// few KiB; anything much larger is not one.
const maxCredentialBytes = 64 << 10

// readCredentialFile reads a file holding a token, a secret id or a JWT.
// The path is trimmed and "~/" expanded as the bundled resolver does; the
// file must pass the SDK's secret-file policy (ours, stricter than the
// bundled resolver's: owned by us, private, not a symlink); its content
// is trimmed as the bundled resolver trims it, and must not be empty.
func (r *Resolver) readCredentialFile(what, file string) (string, error) {
	path, err := r.expandHome(protocol.TrimSpace(file))
	if err != nil {
		return "", fmt.Errorf("%w: %s file %q: %w", sdk.ErrConfig, what, file, err)
	}
	path = absPath(path)
	data, err := policy.ReadSecretFile(what+" file", path, maxCredentialBytes)
	if err != nil {
		return "", fmt.Errorf("%w: %w", sdk.ErrConfig, err)
	}
	v := protocol.TrimSpace(string(data))
	if v == "" {
		return "", fmt.Errorf("%w: %s file %s is empty", sdk.ErrConfig, what, path)
	}
	return v, nil
}

// expandHome expands a leading "~" as the bundled resolver's file reader
// (@openclaw/fs-safe) does: against OPENCLAW_HOME, else HOME (or USERPROFILE),
// else the user's home in the user database. Without it, "~/.vault-token" in
// VAULT_TOKEN_FILE would name a directory "~" beside the binary.
func (r *Resolver) expandHome(p string) (string, error) {
	if p != "~" && !strings.HasPrefix(p, "~/") {
		return p, nil
	}
	home, err := r.homeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, p[1:]), nil
}

func (r *Resolver) homeDir() (string, error) {
	osHome := func() (string, error) {
		if h := first(r.homeVar("HOME"), r.homeVar("USERPROFILE")); h != "" {
			return h, nil
		}
		u, err := user.Current()
		if err != nil || u.HomeDir == "" {
			return "", fmt.Errorf("cannot expand ~: HOME is not passed and the user database has no home (%v)", err)
		}
		return u.HomeDir, nil
	}
	h := r.homeVar("OPENCLAW_HOME")
	switch {
	case h == "":
		return osHome()
	case h == "~" || strings.HasPrefix(h, "~/"):
		base, err := osHome()
		if err != nil {
			return "", err
		}
		return filepath.Join(base, h[1:]), nil
	}
	return h, nil
}

// homeVar reads a home variable as fs-safe does: trimmed, with "undefined"
// and "null" (what JavaScript writes for a missing value) meaning unset.
func (r *Resolver) homeVar(name string) string {
	switch v := protocol.TrimSpace(r.env(name)); v {
	case "undefined", "null":
		return ""
	default:
		return v
	}
}

func absPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}
