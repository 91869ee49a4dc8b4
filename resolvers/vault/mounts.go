package vault

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/vault/api"

	"github.com/execref/execref/sdk"
)

// mount is a KV engine: its path ("kv/", "team/apps/") and version.
type mount struct {
	path    string
	version int
}

// mounts finds the KV mount of a path once per mount per batch: a lookup
// per secret would double the requests, and exhaust use-limited tokens.
type mounts struct {
	client *api.Client
	forced int // --kv-version 1 or 2; 0 looks the version up
	known  []mount
}

// find returns the mount of a secret path.
func (m *mounts) find(ctx context.Context, b *sdk.Batch, path string) (mount, error) {
	for _, k := range m.known {
		if strings.HasPrefix(path+"/", k.path) {
			return k, nil
		}
	}
	guess := mount{path: strings.SplitN(path, "/", 2)[0] + "/", version: m.forced}
	if m.forced != 0 {
		m.known = append(m.known, guess)
		return guess, nil
	}
	s, err := m.client.Logical().ReadWithContext(ctx, "sys/internal/ui/mounts/"+path)
	var answered *api.ResponseError
	if (err != nil && !errors.As(err, &answered)) || isInvalidToken(err) {
		return mount{}, err // Vault unreachable, out of time, or refusing the token
	}
	found, ok := mountOf(s)
	switch {
	case !ok:
		// Tokens without any capability on sys/internal/ui/mounts: take the
		// first segment as the mount and KV v2, Vault's default.
		guess.version = 2
		b.Logf("cannot look up the mount of %q (%v); assuming KV v2 mounted at %q (set --kv-version to choose)", path, lookupFailure(err), guess.path)
		found = guess
	default:
		b.Logf("mount %q is KV v%d", found.path, found.version)
	}
	m.known = append(m.known, found)
	return found, nil
}

// mountOf reads a sys/internal/ui/mounts answer.
func mountOf(s *api.Secret) (mount, bool) {
	if s == nil || s.Data == nil {
		return mount{}, false
	}
	path, _ := s.Data["path"].(string)
	if path == "" {
		return mount{}, false
	}
	version := 1
	if opts, ok := s.Data["options"].(map[string]any); ok && fmt.Sprint(opts["version"]) == "2" {
		version = 2
	}
	return mount{path: path, version: version}, true
}

func lookupFailure(err error) string {
	if err == nil {
		return "no mount info"
	}
	return brief(err)
}
