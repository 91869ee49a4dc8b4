package host

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/execref/execref/protocol"
)

// commandPath resolves a configured command the way the gateway's
// resolveUserPath does: trimmed, a leading "~" expanded to the home
// directory, a relative path resolved against the gateway's working
// directory, the result cleaned. It does not resolve symlinks: the policy
// must see the link itself.
func (r *Runner) commandPath(command string) (string, error) {
	c := protocol.TrimSpace(command)
	if c == "~" || strings.HasPrefix(c, "~/") {
		home, err := r.home()
		if err != nil {
			return "", err
		}
		c = home + c[1:]
	}
	if filepath.IsAbs(c) {
		return filepath.Clean(c), nil
	}
	dir, err := r.dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, c), nil
}

// home is HOME from the gateway's environment, else the account's home
// directory (as Node's os.homedir falls back to the password database).
func (r *Runner) home() (string, error) {
	if h, ok := r.lookupEnv()("HOME"); ok && h != "" {
		return h, nil
	}
	u, err := user.Current()
	if err != nil || u.HomeDir == "" {
		return "", fmt.Errorf("%w: cannot expand \"~\" in command: HOME is not set", ErrInvalidConfig)
	}
	return u.HomeDir, nil
}

func (r *Runner) dir() (string, error) {
	if r.Dir != "" {
		return r.Dir, nil
	}
	return os.Getwd()
}
