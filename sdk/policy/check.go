package policy

import (
	"io/fs"
	"os"
	"path/filepath"
)

// Rules say what a file must be. The zero value checks the structural
// rules only: an absolute path to an existing regular file, not a symlink,
// owned by the current user.
type Rules struct {
	// TrustedDirs, when not empty, lists the directories the file must be
	// inside. Containment is lexical, like the gateway's: no symlink in a
	// directory path is resolved.
	TrustedDirs []string
	// AllowSymlink follows a symlink instead of refusing it; the link must
	// be inside TrustedDirs, and its target must pass every rule.
	AllowSymlink bool
	// Forbidden are the permission bits that must be clear:
	// CommandForbidden for a command, SecretForbidden for a key file.
	Forbidden fs.FileMode
	// Executable requires the owner's execute bit.
	Executable bool
}

// CommandLabel is the label the gateway uses for a provider's command.
func CommandLabel(provider string) string {
	return "secrets.providers." + provider + ".command"
}

// anyCommandLabel is how the gateway names every provider's command when
// it validates the config, before any one provider is in play.
var anyCommandLabel = CommandLabel("*")

// CheckCommand applies the gateway's command-path policy for provider to
// path. It returns nil or an *Error with the gateway's message.
//
// Rule 1 is that path is absolute: `openclaw config validate` refuses a
// relative or "~/" command ("secrets.providers.*.command must be an
// absolute path."), so nothing is expanded or resolved here, and neither
// may a host that wants the gateway's verdict.
func CheckCommand(provider, path string, trustedDirs []string) error {
	if !filepath.IsAbs(path) {
		return &Error{Rule: ErrNotAbsolute, Label: anyCommandLabel, Path: path, Forbidden: CommandForbidden, Executable: true}
	}
	return Check(CommandLabel(provider), path, Rules{
		TrustedDirs: trustedDirs,
		Forbidden:   CommandForbidden,
		Executable:  true,
	})
}

// CheckSecretFile checks a file holding a secret (an age key, a token, a
// JWT): owned by the current user, accessible to nobody else, not a
// symlink unless allowSymlink, and inside trustedDirs when given. It never
// opens the file.
func CheckSecretFile(label, path string, trustedDirs []string, allowSymlink bool) error {
	return Check(label, path, Rules{
		TrustedDirs:  trustedDirs,
		AllowSymlink: allowSymlink,
		Forbidden:    SecretForbidden,
	})
}

// Check applies r to path, in the gateway's order: absolute, exists, not a
// directory, not a symlink, a regular file, inside TrustedDirs, no
// Forbidden permission bit, owned by the current uid, executable by its
// owner when r.Executable. The first failed rule is returned as an *Error
// labelled label.
func Check(label, path string, r Rules) error {
	c := checker{label: label, rules: r}
	if !filepath.IsAbs(path) {
		return c.fail(ErrNotAbsolute, path)
	}
	info, err := os.Lstat(path)
	if err != nil {
		e := c.fail(ErrNotReadable, path)
		e.Err = err
		return e
	}
	if info.IsDir() {
		return c.fail(ErrDirectory, path)
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		if !r.AllowSymlink {
			return c.fail(ErrSymlink, path)
		}
		return c.followed(path)
	}
	return c.file(path, info)
}

// checker carries the label and rules through the steps of one check.
type checker struct {
	label string
	rules Rules
	link  string // the symlink followed to reach the path under check
}

func (c *checker) fail(rule error, path string) *Error {
	return &Error{Rule: rule, Label: c.label, Path: path, Link: c.link,
		Forbidden: c.rules.Forbidden, Executable: c.rules.Executable}
}

// followed checks a permitted symlink: the link itself must be inside
// TrustedDirs (a trusted name must not be a door out of the trusted dirs),
// then its fully resolved target must pass every rule.
func (c *checker) followed(link string) error {
	if !c.trusted(link) {
		return c.fail(ErrOutsideTrustedDirs, link)
	}
	c.link = link
	target, err := filepath.EvalSymlinks(link)
	if err != nil {
		e := c.fail(ErrNotReadable, link)
		e.Err = err
		return e
	}
	info, err := os.Lstat(target)
	if err != nil {
		e := c.fail(ErrNotReadable, target)
		e.Err = err
		return e
	}
	switch {
	case info.IsDir():
		return c.fail(ErrDirectory, target)
	case info.Mode()&fs.ModeSymlink != 0:
		// EvalSymlinks resolves every link, so this is a link swapped in
		// meanwhile: refuse rather than follow a moving target.
		return c.fail(ErrSymlink, target)
	}
	return c.file(target, info)
}

// file applies the rules that concern the file itself, in order.
func (c *checker) file(path string, info fs.FileInfo) error {
	mode := info.Mode()
	if !mode.IsRegular() {
		return c.fail(ErrNotRegular, path)
	}
	if !c.trusted(path) {
		return c.fail(ErrOutsideTrustedDirs, path)
	}
	if mode.Perm()&c.rules.Forbidden != 0 {
		e := c.fail(ErrTooOpen, path)
		e.Mode = mode.Perm()
		return e
	}
	if owner, ok := FileOwner(info); ok {
		if uid := os.Getuid(); owner != uid {
			e := c.fail(ErrOwner, path)
			e.UID, e.Owner = uid, owner
			return e
		}
	}
	if c.rules.Executable && mode.Perm()&0o100 == 0 {
		e := c.fail(ErrNotExecutable, path)
		e.Mode = mode.Perm()
		return e
	}
	return nil
}

func (c *checker) trusted(path string) bool {
	return len(c.rules.TrustedDirs) == 0 || InTrustedDirs(path, c.rules.TrustedDirs)
}
