// Command demo prepares the directory `make demo` runs openclaw-sops-resolver
// in: an age key and a sops-encrypted example secrets file.
//
//	go run ./resolvers/sops/internal/demo DIR
//
// It is idempotent. DIR is created (0700) if absent. DIR/age-key.txt, a fresh
// age identity, is written (0600) if absent; DIR/secrets.enc.yaml, example
// secrets with random values encrypted with sops to that identity, is written
// (0600) if absent. It prints one line per file it created, nothing if there
// was nothing to do, and never a secret; on failure it prints one line on
// stderr and exits non-zero.
//
// The private key only ever lives in DIR, a build directory: never commit it.
package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"filippo.io/age"
	sopsage "github.com/getsops/sops/v3/age"
	"github.com/getsops/sops/v3/config"
	"github.com/getsops/sops/v3/stores/yaml"

	"github.com/execref/execref/resolvers/sops/internal/encrypt"
)

const (
	keyFile     = "age-key.txt"
	secretsFile = "secrets.enc.yaml"
)

func main() {
	if len(os.Args) != 2 || os.Args[1] == "" || strings.HasPrefix(os.Args[1], "-") {
		fmt.Fprintln(os.Stderr, "usage: demo DIR")
		os.Exit(2)
	}
	created, err := prepare(os.Args[1])
	for _, path := range created {
		fmt.Printf("created %s\n", path)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "demo: %v\n", oneLine(err))
		os.Exit(1)
	}
}

// prepare sets dir up and returns the paths of the files it created.
func prepare(dir string) (created []string, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	keyPath := filepath.Join(dir, keyFile)
	secretsPath := filepath.Join(dir, secretsFile)

	recipient, err := readRecipient(keyPath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// A new key could not decrypt a secrets file left from an old one.
		if _, err := os.Lstat(secretsPath); err == nil {
			return nil, fmt.Errorf("%s exists but %s does not: remove %s to start afresh", secretsPath, keyPath, secretsPath)
		}
		id, err := encrypt.NewIdentity()
		if err != nil {
			return nil, err
		}
		if err := writeNew(keyPath, id.KeyFile()); err != nil {
			return nil, err
		}
		created = append(created, keyPath)
		recipient = id.Recipient
	case err != nil:
		return nil, err
	}

	switch _, err := os.Lstat(secretsPath); {
	case errors.Is(err, fs.ErrNotExist):
		plaintext, err := exampleSecrets()
		if err != nil {
			return created, err
		}
		enc, err := encrypt.Encrypt(plaintext, "yaml", recipient)
		if err != nil {
			return created, err
		}
		if err := writeNew(secretsPath, enc); err != nil {
			return created, err
		}
		created = append(created, secretsPath)
	case err != nil:
		return created, err
	default:
		// Both exist: check they belong together, so that the demo does not
		// fail later with a decryption error.
		if err := checkRecipient(secretsPath, recipient); err != nil {
			return created, err
		}
	}
	return created, nil
}

// readRecipient returns the public key of the first age identity in an age
// key file.
func readRecipient(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	ids, err := age.ParseIdentities(bytes.NewReader(data))
	if err != nil {
		// Not age's error: it may quote the offending line, a secret.
		return "", fmt.Errorf("%s is not a valid age key file", path)
	}
	for _, id := range ids {
		if x, ok := id.(*age.X25519Identity); ok {
			return x.Recipient().String(), nil
		}
	}
	return "", fmt.Errorf("%s holds no age X25519 identity", path)
}

// checkRecipient fails unless the sops file at path is encrypted to recipient.
func checkRecipient(path, recipient string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	tree, err := yaml.NewStore(&config.YAMLStoreConfig{}).LoadEncryptedFile(data)
	if err != nil {
		return fmt.Errorf("%s is not a sops file: %v", path, err)
	}
	var recipients []string
	for _, group := range tree.Metadata.KeyGroups {
		for _, key := range group {
			if k, ok := key.(*sopsage.MasterKey); ok {
				recipients = append(recipients, k.Recipient)
			}
		}
	}
	if !slices.Contains(recipients, recipient) {
		return fmt.Errorf("%s is not encrypted to the key in %s: remove it to regenerate it", path, keyFile)
	}
	return nil
}

// exampleSecrets returns the plaintext of the example secrets, with random
// values.
func exampleSecrets() ([]byte, error) {
	var r [3]string
	for i, n := range []int{16, 20, 12} {
		b := make([]byte, n)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		r[i] = hex.EncodeToString(b)
	}
	return fmt.Appendf(nil, `openai:
    apiKey: sk-demo-%s
github:
    token: ghp_demo_%s
database:
    url: postgres://app:%s@db.internal:5432/app
`, r[0], r[1], r[2]), nil
}

// writeNew writes a file that must not exist yet, mode 0600, removing it if
// it cannot be written whole.
func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
