// Package encrypt produces real sops-encrypted files, for the resolver's tests
// and for the demo, without the sops binary.
//
// It drives the sops library the way `sops --encrypt --age RECIPIENTS` does
// (cmd/sops/encrypt.go): the format's store loads the plaintext into a
// sops.Tree, a random 32-byte data key is generated and encrypted to every age
// recipient through the local key service, every value is encrypted with
// AES256-GCM (the value's path is the additional data), the MAC (SHA-512 of the
// cleartext values, in tree order) is encrypted with the data key using the
// RFC 3339 LastModified time as additional data, and the store emits the
// encrypted file with its `sops` metadata. The defaults are those of sops with
// no .sops.yaml: unencrypted_suffix "_unencrypted" (none for binary), one key
// group, no Shamir threshold, mac_only_encrypted false, version
// version.Version.
//
// This package is for tests and the demo only: the resolver itself never
// encrypts.
package encrypt

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/getsops/sops/v3"
	"github.com/getsops/sops/v3/aes"
	sopsage "github.com/getsops/sops/v3/age"
	"github.com/getsops/sops/v3/config"
	"github.com/getsops/sops/v3/keyservice"
	"github.com/getsops/sops/v3/pgp"
	"github.com/getsops/sops/v3/stores/dotenv"
	"github.com/getsops/sops/v3/stores/ini"
	"github.com/getsops/sops/v3/stores/json"
	"github.com/getsops/sops/v3/stores/yaml"
	"github.com/getsops/sops/v3/version"
)

// Formats lists the formats Encrypt accepts, as sops names them
// (--input-type / --output-type).
var Formats = []string{"yaml", "json", "dotenv", "ini", "binary"}

// Identity is a fresh age X25519 key pair.
type Identity struct {
	Secret    string // "AGE-SECRET-KEY-1…"
	Recipient string // "age1…"
}

// NewIdentity generates a new age X25519 identity.
func NewIdentity() (Identity, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return Identity{}, fmt.Errorf("generating age identity: %w", err)
	}
	return Identity{Secret: id.String(), Recipient: id.Recipient().String()}, nil
}

// KeyFile returns the identity as an age key file (what age-keygen writes and
// what sops reads from SOPS_AGE_KEY_FILE or ~/.config/sops/age/keys.txt): two
// comment lines, then the secret key.
func (id Identity) KeyFile() []byte {
	return fmt.Appendf(nil, "# created: %s\n# public key: %s\n%s\n",
		time.Now().Format(time.RFC3339), id.Recipient, id.Secret)
}

// StoreFor returns the sops store for a format name, configured as sops
// configures it without a .sops.yaml (config.NewStoresConfig).
func StoreFor(format string) (sops.Store, error) {
	c := config.NewStoresConfig()
	switch format {
	case "yaml", "yml":
		return yaml.NewStore(&c.YAML), nil
	case "json":
		return json.NewStore(&c.JSON), nil
	case "dotenv":
		return dotenv.NewStore(&c.Dotenv), nil
	case "ini":
		return ini.NewStore(&c.INI), nil
	case "binary":
		return json.NewBinaryStore(&c.JSONBinary), nil
	}
	return nil, fmt.Errorf("unknown sops format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// Encrypt encrypts plaintext of a format ("yaml", "json", "dotenv", "ini" or
// "binary") as `sops --encrypt --input-type F --output-type F --age
// RECIPIENTS` would, and returns the encrypted file. Each recipient is an age
// public key ("age1…"); like the --age flag, an argument may hold several,
// comma-separated. All recipients form one key group, each able to decrypt the
// file alone.
func Encrypt(plaintext []byte, format string, recipients ...string) ([]byte, error) {
	store, err := StoreFor(format)
	if err != nil {
		return nil, err
	}
	var group sops.KeyGroup
	for _, r := range recipients {
		if strings.Contains(strings.ToUpper(r), "AGE-SECRET-KEY-") {
			// sops would echo it in its parse error.
			return nil, errors.New("age recipient: got a secret key (AGE-SECRET-KEY-…), want its public key (age1…)")
		}
		keys, err := sopsage.MasterKeysFromRecipients(r)
		if err != nil {
			return nil, fmt.Errorf("age recipient: %w", err)
		}
		for _, k := range keys {
			group = append(group, k)
		}
	}
	if len(group) == 0 {
		return nil, errors.New("no age recipient given")
	}

	branches, err := store.LoadPlainFile(plaintext)
	if err != nil {
		return nil, fmt.Errorf("loading %s plaintext: %w", format, err)
	}
	// The checks of sops' validateFileForEncryption.
	if len(branches) < 1 {
		return nil, errors.New("empty file: it must contain at least one document")
	}
	if store.HasSopsTopLevelKey(branches[0]) {
		return nil, errors.New("the plaintext has a top-level sops entry: already encrypted?")
	}

	metadata := sops.Metadata{
		KeyGroups: []sops.KeyGroup{group},
		Version:   version.Version,
	}
	// sops supplies the default suffix unless the store holds a single value
	// (binary), for which every suffix or regex is dropped.
	if svs, ok := store.(sops.SingleValueStore); !ok || !svs.IsSingleValueStore() {
		metadata.UnencryptedSuffix = sops.DefaultUnencryptedSuffix
	}
	tree := sops.Tree{Branches: branches, Metadata: metadata}

	dataKey, errs := tree.GenerateDataKeyWithKeyServices([]keyservice.KeyServiceClient{keyservice.NewLocalClient()})
	if len(errs) > 0 {
		return nil, fmt.Errorf("could not generate data key: %v", errors.Join(errs...))
	}

	// What cmd/sops/common.EncryptTree does.
	cipher := aes.NewCipher()
	mac, err := tree.Encrypt(dataKey, cipher)
	if err != nil {
		return nil, fmt.Errorf("encrypting tree: %w", err)
	}
	tree.Metadata.LastModified = time.Now().UTC()
	tree.Metadata.MessageAuthenticationCode, err = cipher.Encrypt(mac, dataKey, tree.Metadata.LastModified.Format(time.RFC3339))
	if err != nil {
		return nil, fmt.Errorf("encrypting MAC: %w", err)
	}

	out, err := store.EmitEncryptedFile(tree)
	if err != nil {
		return nil, fmt.Errorf("emitting encrypted %s: %w", format, err)
	}
	return out, nil
}

// MustEncrypt is Encrypt for tests: it fails t on error.
func MustEncrypt(t testing.TB, plaintext []byte, format string, recipients ...string) []byte {
	t.Helper()
	out, err := Encrypt(plaintext, format, recipients...)
	if err != nil {
		t.Fatalf("encrypt %s: %v", format, err)
	}
	return out
}

// encValue matches a sops-encrypted value; group 1 is the base64 ciphertext,
// group 2 the type.
var encValue = regexp.MustCompile(`ENC\[AES256_GCM,data:([A-Za-z0-9+/=]+),iv:[A-Za-z0-9+/=]+,tag:[A-Za-z0-9+/=]+,type:([a-z]+)\]`)

// Tamper returns a copy of an encrypted file (any format) in which one bit of
// the ciphertext of the first encrypted value that is not a comment is
// flipped: the low bit of the first byte of its AES-GCM ciphertext.
//
// The result is deterministic (and Tamper(Tamper(f)) == f). Every store emits
// the data before the sops metadata, so the value changed is a data value
// whenever the file has one (empty strings, nulls and "_unencrypted" values
// are not encrypted), otherwise the encrypted MAC. Comments are skipped
// because sops keeps a comment it cannot decrypt as is, and the MAC does not
// cover comments, so tampering one would go unnoticed.
//
// Decryption of the result FAILS TO DECRYPT, before any MAC comparison:
// AES-GCM authentication of the value fails ("Could not decrypt value: Could
// not decrypt with AES_GCM: cipher: message authentication failed"), or, when
// the MAC was the value changed, "Failed to decrypt original mac". Use
// DropValue for a file whose values all decrypt but whose MAC mismatches.
//
// Tamper returns an unchanged copy if the file holds no such value.
func Tamper(encrypted []byte) []byte {
	out := bytes.Clone(encrypted)
	for _, m := range encValue.FindAllSubmatchIndex(out, -1) {
		if string(out[m[4]:m[5]]) == "comment" || m[3]-m[2] < 4 {
			continue
		}
		// The first base64 quantum (4 characters) of the ciphertext, at least
		// one byte: sops never encrypts an empty value.
		quantum := out[m[2] : m[2]+4]
		raw, err := base64.StdEncoding.DecodeString(string(quantum))
		if err != nil || len(raw) == 0 {
			continue
		}
		raw[0] ^= 0x01
		copy(quantum, base64.StdEncoding.EncodeToString(raw))
		break
	}
	return out
}

// DropValue returns an encrypted file of a format with its last top-level
// data entry that the MAC covers removed, re-emitted by the format's store,
// the rest untouched. Every remaining value still decrypts, but the MAC no
// longer matches: decryption fails the MAC check ("Failed to verify data
// integrity" from decrypt.Data, "MAC mismatch" from sops). For binary, the
// single "data" entry is removed.
//
// The MAC hashes the bytes of the values only, concatenated: entries whose
// value is empty ("", null, or a map or list of those) and comments add
// nothing to it, so removing them would go unnoticed; DropValue skips them.
func DropValue(encrypted []byte, format string) ([]byte, error) {
	store, err := StoreFor(format)
	if err != nil {
		return nil, err
	}
	tree, err := store.LoadEncryptedFile(encrypted)
	if err != nil {
		return nil, fmt.Errorf("loading encrypted %s: %w", format, err)
	}
	if len(tree.Branches) == 0 {
		return nil, errors.New("no data to drop")
	}
	branch := tree.Branches[0]
	for i := len(branch) - 1; i >= 0; i-- {
		if _, ok := branch[i].Key.(sops.Comment); ok || !macCovers(branch[i].Value) {
			continue
		}
		tree.Branches[0] = append(branch[:i:i], branch[i+1:]...)
		return store.EmitEncryptedFile(tree)
	}
	return nil, errors.New("no data entry covered by the MAC")
}

// macCovers reports whether a (still encrypted) value adds bytes to the MAC.
func macCovers(v any) bool {
	switch v := v.(type) {
	case nil, sops.Comment:
		return false
	case string:
		return v != ""
	case sops.TreeBranch:
		for _, item := range v {
			if _, ok := item.Key.(sops.Comment); !ok && macCovers(item.Value) {
				return true
			}
		}
		return false
	case []any:
		for _, item := range v {
			if macCovers(item) {
				return true
			}
		}
		return false
	}
	return true
}

// placeholderPGPMessage stands where a PGP key's encrypted data key goes.
// It is well-formed armor around nothing any key can decrypt.
const placeholderPGPMessage = "-----BEGIN PGP MESSAGE-----\n\nwcBMA0uLyWm3Xb9CAQgA\n=AAAA\n-----END PGP MESSAGE-----\n"

// ToPGP returns an encrypted file of a format with its key groups replaced
// by one group holding a single PGP key of the given fingerprint, whose
// encrypted data key is a placeholder. The values and the MAC are left as
// they are. Decrypting it makes sops try that key, first through OpenPGP
// key rings and then through the gpg binary, and fail either way: tests use
// it to see what a resolver says when it needs gpg, without gpg installed.
func ToPGP(encrypted []byte, format, fingerprint string) ([]byte, error) {
	store, err := StoreFor(format)
	if err != nil {
		return nil, err
	}
	tree, err := store.LoadEncryptedFile(encrypted)
	if err != nil {
		return nil, fmt.Errorf("loading encrypted %s: %w", format, err)
	}
	key := pgp.NewMasterKeyFromFingerprint(fingerprint)
	key.EncryptedKey = placeholderPGPMessage
	tree.Metadata.KeyGroups = []sops.KeyGroup{{key}}
	return store.EmitEncryptedFile(tree)
}
