package sops

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/policy"
)

// The key files the sops library reads on its own, by the variables that
// name them; checked before it reads them.
var keyFileEnvs = []string{"SOPS_AGE_KEY_FILE", "SOPS_AGE_SSH_PRIVATE_KEY_FILE"}

// checkKeyFiles applies the SDK's secret-file policy to every private key
// file the sops library would read: owned by the user, not readable by
// group or others, not a symlink unless --allow-symlinks. A file a
// variable names must also exist and open: one that cannot be read is a
// configuration error (exit 78), not a key that failed (77). The default
// age key file is sops's guess, not the operator's choice, so it may be
// absent.
func (r *Resolver) checkKeyFiles() error {
	for _, env := range keyFileEnvs {
		if p, ok := r.lookupEnv(env); ok && p != "" {
			if err := r.checkKeyFile(env, p); err != nil {
				return err
			}
		}
	}
	if p := r.defaultAgeKeyFile(); p != "" {
		if _, err := os.Lstat(p); os.IsNotExist(err) {
			return nil
		}
		return r.checkKeyFile("the default age key file", p)
	}
	return nil
}

func (r *Resolver) checkKeyFile(label, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", sdk.ErrConfig, label, err)
	}
	if err := policy.CheckSecretFile(label, abs, nil, r.allowSymlink); err != nil {
		return fmt.Errorf("%w: %w", sdk.ErrConfig, err)
	}
	// The policy never opens a file; sops will, so make sure it can.
	fh, err := os.Open(abs)
	if err != nil {
		return fmt.Errorf("%w: %s cannot be opened: %s: %w", sdk.ErrConfig, label, abs, errors.Unwrap(err))
	}
	return fh.Close()
}

// defaultAgeKeyFile is where sops looks when no variable names a key:
// $XDG_CONFIG_HOME/sops/age/keys.txt, else $HOME/.config/sops/age/keys.txt
// (only when the gateway passes those variables).
func (r *Resolver) defaultAgeKeyFile() string {
	if dir, ok := r.lookupEnv("XDG_CONFIG_HOME"); ok && dir != "" {
		return filepath.Join(dir, "sops", "age", "keys.txt")
	}
	if home, ok := r.lookupEnv("HOME"); ok && home != "" {
		return filepath.Join(home, ".config", "sops", "age", "keys.txt")
	}
	return ""
}
