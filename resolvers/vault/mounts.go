package vault

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/vault/api"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
)

// mount is a KV engine: its path ("kv/", "team/apps/", always ending in
// '/') and version.
type mount struct {
	path    string
	version int
	// assumed: the version is configured or guessed, not what Vault's
	// mount lookup reported, so a read checks its answer is that
	// version's (read.go).
	assumed bool
}

// contains tells whether a secret's full path lies under the mount, with
// a name of at least one character inside it.
func (m mount) contains(path string) bool {
	return strings.HasPrefix(path, m.path) && len(path) > len(m.path)
}

// mounts finds the KV mount of each secret, asking Vault once per mount
// per batch: a lookup per secret would double the requests, and exhaust
// use-limited tokens.
//
// A cached mount is reused for every path under it. That is exact because
// Vault refuses to mount a path under another mount or above one (its
// router's MountConflict), so at most one mount holds a path; the longest
// is taken all the same.
type mounts struct {
	client *api.Client
	set    settings
	// known are mounts Vault's lookup reported, or that the configuration
	// states (the mount of PATH/FIELD ids with its version given, or the
	// first segments under --kv-version).
	known []mount
	// guessed are mounts assumed where Vault refused the lookup, by path:
	// KV v2 at the first segment of an explicit id, or at the configured
	// mount of a PATH/FIELD id.
	guessed map[string]mount
}

func newMounts(client *api.Client, set settings) *mounts {
	m := &mounts{client: client, set: set, guessed: map[string]mount{}}
	if set.mountVersion != 0 {
		m.known = append(m.known, mount{path: set.mount + "/", version: set.mountVersion, assumed: true})
	}
	return m
}

// find returns the mount of s. An error wrapping a protocol code is for
// s's ids only; any other error is for the whole batch.
func (m *mounts) find(ctx context.Context, b *sdk.Batch, s secret) (mount, error) {
	if s.mount != "" {
		return m.configured(ctx, b, s)
	}
	if k, ok := m.longestKnown(s.path); ok {
		return k, nil
	}
	firstSegment := strings.SplitN(s.path, "/", 2)[0] + "/"
	if m.set.everyVersion != 0 {
		k := mount{path: firstSegment, version: m.set.everyVersion, assumed: true}
		m.known = append(m.known, k)
		return k, nil
	}
	return m.lookupOr(ctx, b, s.path, firstSegment, "set --kv-version to choose")
}

// configured finds the mount of a PATH/FIELD id, which names it: the mount
// must be exactly that one. Its version is the configured one, else looked
// up, else (lookup refused) KV v2, the bundled resolver's default.
func (m *mounts) configured(ctx context.Context, b *sdk.Batch, s secret) (mount, error) {
	want := s.mount + "/"
	if k, ok := m.longestKnown(s.path); ok {
		if k.path != want {
			return mount{}, wrongMount(s, k.path)
		}
		return k, nil
	}
	found, err := m.lookupOr(ctx, b, s.path, want, "set "+envKVVersion+" or --kv-version to choose")
	if err == nil && found.path != want {
		return mount{}, wrongMount(s, found.path)
	}
	return found, err
}

// lookupOr asks Vault for the mount of path and remembers it. When the
// token may not look mounts up, it assumes KV v2 mounted at guess
// (Vault's default; a read there is checked to be KV v2's answer, in
// read.go), once per guess, and says so with the hint.
func (m *mounts) lookupOr(ctx context.Context, b *sdk.Batch, path, guess, hint string) (mount, error) {
	if g, ok := m.guessed[guess]; ok {
		return g, nil
	}
	found, refused, err := m.lookup(ctx, path)
	switch {
	case err != nil:
		return mount{}, err
	case refused != nil:
		g := mount{path: guess, version: 2, assumed: true}
		b.Logf("cannot look up the mount of %q (%s); assuming KV v2 mounted at %q (%s)", path, brief(refused), guess, hint)
		m.guessed[guess] = g
		return g, nil
	}
	b.Logf("mount %q is KV v%d", found.path, found.version)
	m.known = append(m.known, found)
	return found, nil
}

func wrongMount(s secret, actual string) error {
	return fmt.Errorf("%w: %s is not a KV mount here: Vault says %s is in mount %q (set --mount or %s to that mount, or write the id MOUNT/PATH#FIELD)",
		protocol.NotFound, s.mount+"/", s.path, actual, envKVMount)
}

// longestKnown is the longest known mount holding path.
func (m *mounts) longestKnown(path string) (mount, bool) {
	var best mount
	for _, k := range m.known {
		if k.contains(path) && len(k.path) > len(best.path) {
			best = k
		}
	}
	return best, best.path != ""
}

// lookup asks Vault for the mount of path (sys/internal/ui/mounts). It
// returns the mount, or the refusal when Vault answered with an error, or
// an error: for the batch when Vault was not reached or refused the
// token, for path's ids (wrapping a code) when the answer is not a KV
// mount holding path.
func (m *mounts) lookup(ctx context.Context, path string) (found mount, refused, err error) {
	s, err := m.client.Logical().ReadWithContext(ctx, "sys/internal/ui/mounts/"+path)
	var answered *api.ResponseError
	switch {
	case err != nil && (!errors.As(err, &answered) || isInvalidToken(err)):
		return mount{}, nil, err // Vault unreachable, out of time, or refusing the token
	case err != nil:
		return mount{}, err, nil
	case s == nil || s.Data == nil:
		return mount{}, errors.New("no mount info"), nil
	}
	found, err = mountOf(s.Data, path)
	return found, nil, err
}

// kvTypes are the mount types whose paths hold KV secrets: "generic" is
// KV's old name, and a cubbyhole reads as KV v1 (the token's own).
var kvTypes = map[string]bool{"kv": true, "generic": true, "cubbyhole": true}

// mountOf reads a sys/internal/ui/mounts answer for path, and accepts it
// only if it is a KV mount that holds path: a mount that does not (the
// path is the mount itself, or the answer names another mount, as Vault
// Enterprise may for a path through a child namespace) would make the read
// address another secret.
func mountOf(data map[string]any, path string) (mount, error) {
	mountPath, _ := data["path"].(string)
	kind, _ := data["type"].(string)
	switch {
	case mountPath == "" || !strings.HasSuffix(mountPath, "/"):
		return mount{}, fmt.Errorf("%w: Vault's mount lookup for %s gave no mount path", protocol.Unavailable, path)
	case mountPath == path+"/":
		return mount{}, fmt.Errorf("%w: %s is a mount, not a secret in one", protocol.NotFound, path)
	case !strings.HasPrefix(path, mountPath):
		return mount{}, fmt.Errorf("%w: Vault's mount lookup for %s answered mount %q, which does not hold it", protocol.NotFound, path, mountPath)
	case !kvTypes[kind]:
		return mount{}, fmt.Errorf("%w: %s is in mount %q of type %q, not a KV secrets engine", protocol.InvalidID, path, mountPath, kind)
	}
	version := "1"
	if opts, ok := data["options"].(map[string]any); ok && opts["version"] != nil {
		version = fmt.Sprint(opts["version"])
	}
	switch version {
	case "", "1":
		return mount{path: mountPath, version: 1}, nil
	case "2":
		if kind == "cubbyhole" {
			break
		}
		return mount{path: mountPath, version: 2}, nil
	}
	return mount{}, fmt.Errorf("%w: mount %q is KV version %q, which this resolver does not read", protocol.InvalidID, mountPath, version)
}
