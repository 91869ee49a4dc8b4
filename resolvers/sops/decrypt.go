package sops

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	gosops "github.com/getsops/sops/v3"
	"github.com/getsops/sops/v3/aes"
	"github.com/getsops/sops/v3/config"
	"github.com/getsops/sops/v3/stores/dotenv"
	"github.com/getsops/sops/v3/stores/ini"
	"github.com/getsops/sops/v3/stores/json"
	"github.com/getsops/sops/v3/stores/yaml"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/policy"
)

// maxFileBytes bounds an encrypted file: far above any secrets file, far
// below what could hurt.
const maxFileBytes = 16 << 20

// ErrIntegrity marks a file whose content sops cannot vouch for: its MAC
// does not match, or it does not parse as an encrypted file.
var ErrIntegrity = errors.New("integrity check failed")

// store is what the resolver needs of a sops store: to read an encrypted
// file, and to print a scalar as the sops CLI prints it.
type store interface {
	LoadEncryptedFile(in []byte) (gosops.Tree, error)
	EmitValue(v any) ([]byte, error)
}

func storeFor(format string) store {
	switch format {
	case "json":
		return json.NewStore(&config.JSONStoreConfig{})
	case "binary":
		return json.NewBinaryStore(&config.JSONBinaryStoreConfig{})
	case "dotenv":
		return dotenv.NewStore(&config.DotenvStoreConfig{})
	case "ini":
		return ini.NewStore(&config.INIStoreConfig{})
	}
	return yaml.NewStore(&config.YAMLStoreConfig{})
}

// load reads, checks and parses one file, still encrypted: its keys and
// structure are in clear, its values not. The file must be the user's own
// and not writable by others: anyone who can write it can replace it with
// values of their choosing encrypted to the same (public) recipients, MAC
// and all.
func (r *Resolver) load(f file) (*gosops.Tree, error) {
	rules := policy.Rules{TrustedDirs: r.trustedDirs, AllowSymlink: r.allowSymlink, Forbidden: policy.CommandForbidden}
	if err := policy.Check("--file "+withAlias(f.alias, f.path), f.path, rules); err != nil {
		return nil, fmt.Errorf("%w: %w", sdk.ErrConfig, err)
	}
	data, err := readBounded(f.path)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", sdk.ErrConfig, f.describe(), err)
	}
	tree, err := storeFor(f.format).LoadEncryptedFile(data)
	if err != nil {
		// The store's message can quote the file; the file is encrypted,
		// but say only what went wrong.
		return nil, fmt.Errorf("%w: %w: %s is not a sops-encrypted %s file", sdk.ErrConfig, ErrIntegrity, f.describe(), f.format)
	}
	return &tree, nil
}

// loadAll loads the files (see load), at most --concurrency at once. A
// file the deadline left unread is absent from the result.
func (r *Resolver) loadAll(ctx context.Context, b *sdk.Batch, files map[string]file, aliases []string) (map[string]*gosops.Tree, error) {
	trees := make([]*gosops.Tree, len(aliases))
	failed := make([]error, len(aliases)) // by alias, so the reported one is always the same
	sdk.ForEach(ctx, b, aliases, func(_ context.Context, alias string) {
		i := slices.Index(aliases, alias)
		trees[i], failed[i] = r.load(files[alias])
	})
	if err := cmp.Or(failed...); err != nil {
		return nil, err
	}
	out := map[string]*gosops.Tree{}
	for i, alias := range aliases {
		if trees[i] != nil {
			out[alias] = trees[i]
		}
	}
	return out, nil
}

// decrypt decrypts a loaded file in place, in memory, and checks its MAC.
func (r *Resolver) decrypt(f file, tree *gosops.Tree) error {
	key, err := tree.Metadata.GetDataKey()
	if err != nil {
		if missing := r.gpgMissing(tree.Metadata); missing != "" {
			return fmt.Errorf("%w: %s: no configured key can decrypt it: %s", sdk.ErrConfig, f.describe(), missing)
		}
		return fmt.Errorf("%w: %s: no configured key can decrypt it: %s", protocol.Unauthenticated, f.describe(), keyFailure(err))
	}
	cipher := aes.NewCipher()
	mac, err := tree.Decrypt(key, cipher)
	if err != nil {
		return fmt.Errorf("%w: %w: %s: a value does not decrypt", sdk.ErrConfig, ErrIntegrity, f.describe())
	}
	want, err := cipher.Decrypt(tree.Metadata.MessageAuthenticationCode, key, tree.Metadata.LastModified.Format(time.RFC3339))
	if err != nil || want != mac {
		return fmt.Errorf("%w: %w: %s was modified without sops (its MAC does not match)", sdk.ErrConfig, ErrIntegrity, f.describe())
	}
	return nil
}

func readBounded(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxFileBytes+1))
	if err == nil && len(data) > maxFileBytes {
		err = fmt.Errorf("larger than %d bytes", maxFileBytes)
	}
	return data, err
}

// keyFailure condenses the sops library's report of why no key group
// could be decrypted (a page of wrapped text, one block per key) into one
// line: each key and why it failed.
func keyFailure(err error) string {
	text := err.Error()
	if ue, ok := err.(interface{ UserError() string }); ok {
		text = ue.UserError()
		text, _, _ = strings.Cut(text, "\n\nRecovery failed")
		text = strings.TrimPrefix(text, "Failed to get the data key required to decrypt the SOPS file.")
	}
	text = strings.NewReplacer("- |", "", "|", "").Replace(text)
	return strings.Join(strings.Fields(text), " ")
}
