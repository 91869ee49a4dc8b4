package sops

import (
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
// group or others, not a symlink unless --allow-symlinks. A missing file is
// left to the library, which reports it with the key's name.
func (r *Resolver) checkKeyFiles() error {
	paths := map[string]string{}
	for _, env := range keyFileEnvs {
		if p, ok := r.lookupEnv(env); ok && p != "" {
			paths[env] = p
		}
	}
	if p := r.defaultAgeKeyFile(); p != "" {
		paths["the default age key file"] = p
	}
	for label, p := range paths {
		if _, err := os.Lstat(p); os.IsNotExist(err) {
			continue
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return fmt.Errorf("%w: %s: %w", sdk.ErrConfig, label, err)
		}
		if err := policy.CheckSecretFile(label, abs, nil, r.allowSymlink); err != nil {
			return fmt.Errorf("%w: %w", sdk.ErrConfig, err)
		}
	}
	return nil
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
