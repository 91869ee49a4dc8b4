package vault

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/hashicorp/vault/api"

	"github.com/execref/execref/protocol"
)

// location is one read: a secret's name inside its mount, and a pinned KV
// v2 version (0: the latest). Ids are grouped by location, so two ids
// share a read only if they name the same secret and version, however
// they are written.
type location struct {
	mount   mount
	name    string
	version int
}

func (l location) String() string {
	s := l.mount.path + l.name
	if l.version != 0 {
		s += fmt.Sprintf(" (version %d)", l.version)
	}
	return s
}

// locate places a secret in its mount.
func locate(s secret, m mount) (location, error) {
	if !m.contains(s.path) {
		return location{}, fmt.Errorf("%w: mount %q does not hold %s", protocol.NotFound, m.path, s.path)
	}
	return location{mount: m, name: s.path[len(m.path):], version: s.version}, nil
}

// read fetches one secret's fields. A missing secret, or a KV v2 version
// that was deleted or destroyed, is NOT_FOUND; an answer that is not
// provably the secret asked for (another version, or the shape of the
// other KV version than the one assumed) is an error, never a value.
func read(ctx context.Context, client *api.Client, l location) (map[string]any, error) {
	if l.mount.version == 1 {
		return readV1(ctx, client, l)
	}
	return readV2(ctx, client, l)
}

func readV1(ctx context.Context, client *api.Client, l location) (map[string]any, error) {
	if l.version != 0 {
		return nil, fmt.Errorf("%w: %s is in KV v1 mount %q, which keeps no versions", protocol.InvalidID, l.name, l.mount.path)
	}
	got, err := client.Logical().ReadWithContext(ctx, l.mount.path+l.name)
	if err != nil {
		return nil, err
	}
	if got == nil || got.Data == nil {
		return nil, fmt.Errorf("%w: no secret at %s", protocol.NotFound, l)
	}
	// Read as KV v1 from what is in fact a KV v2 mount, an id whose path
	// starts with "data/" would get another secret's versioned record.
	if l.mount.assumed && looksLikeV2(got.Data) {
		return nil, fmt.Errorf("%w: %s answered as KV v2 does: mount %q is KV v2, not v1 as configured (--kv-version, %s)", protocol.NotFound, l, l.mount.path, envKVVersion)
	}
	return got.Data, nil
}

func readV2(ctx context.Context, client *api.Client, l location) (map[string]any, error) {
	params := url.Values{}
	if l.version != 0 {
		params.Set("version", strconv.Itoa(l.version))
	}
	got, err := client.Logical().ReadWithDataWithContext(ctx, l.mount.path+"data/"+l.name, params)
	if err != nil {
		return nil, err
	}
	if got == nil || got.Data == nil {
		return nil, fmt.Errorf("%w: no secret at %s", protocol.NotFound, l)
	}
	// Read as KV v2 from what is in fact a KV v1 mount, the path is the
	// secret "data/NAME", not NAME: only KV v2's record proves the answer.
	if !looksLikeV2(got.Data) {
		return nil, fmt.Errorf("%w: %s did not answer as KV v2 does: is mount %q KV v1? (--kv-version, %s)", protocol.NotFound, l, l.mount.path, envKVVersion)
	}
	meta := got.Data["metadata"].(map[string]any)
	version, _ := strconv.Atoi(fmt.Sprint(meta["version"]))
	if l.version != 0 && version != l.version {
		return nil, fmt.Errorf("%w: asked for %s, Vault answered version %d", protocol.Unavailable, l, version)
	}
	switch data := got.Data["data"].(type) {
	case map[string]any:
		return data, nil
	case nil:
	default:
		return nil, fmt.Errorf("%w: %s did not answer as KV v2 does", protocol.NotFound, l)
	}
	// Vault answers a deleted or destroyed version with its metadata only.
	switch {
	case meta["destroyed"] == true:
		return nil, fmt.Errorf("%w: version %d of %s was destroyed", protocol.NotFound, version, l.mount.path+l.name)
	case meta["deletion_time"] != nil && meta["deletion_time"] != "":
		return nil, fmt.Errorf("%w: version %d of %s was deleted at %v (undelete it, or pin another version with :vN)", protocol.NotFound, version, l.mount.path+l.name, meta["deletion_time"])
	}
	return nil, fmt.Errorf("%w: no data at %s", protocol.NotFound, l)
}

// looksLikeV2 tells whether a read's data is a KV v2 record: the secret's
// fields under "data" (null for a deleted version) and its version's
// metadata, with a positive version number, under "metadata".
func looksLikeV2(data map[string]any) bool {
	meta, ok := data["metadata"].(map[string]any)
	if !ok {
		return false
	}
	if _, ok := data["data"]; !ok {
		return false
	}
	v, err := strconv.Atoi(fmt.Sprint(meta["version"]))
	return err == nil && v > 0
}

// pick selects the wanted field of a secret and renders it as a string.
func (r *Resolver) pick(data map[string]any, ref ref, l location) (string, error) {
	if ref.whole {
		if len(data) == 1 {
			for _, v := range data {
				return r.render(v, l, "its only field")
			}
		}
		if !r.jsonValues {
			return "", fmt.Errorf("%w: %s has %d fields: name one with #FIELD, or pass --json for all of them", protocol.InvalidValue, l, len(data))
		}
		return toJSON(data), nil
	}
	v, ok := data[ref.field]
	if !ok {
		return "", fmt.Errorf("%w: %s has no field %q", protocol.NotFound, l, ref.field)
	}
	return r.render(v, l, fmt.Sprintf("field %q", ref.field))
}

// render accepts non-empty strings; anything else only as JSON on request.
func (r *Resolver) render(v any, l location, what string) (string, error) {
	switch s := v.(type) {
	case string:
		if strings.TrimSpace(s) == "" {
			return "", fmt.Errorf("%w: %s of %s is empty", protocol.InvalidValue, what, l)
		}
		return s, nil
	case nil:
		return "", fmt.Errorf("%w: %s of %s is null", protocol.InvalidValue, what, l)
	}
	if !r.jsonValues {
		return "", fmt.Errorf("%w: %s of %s is a %s, not a string (pass --json to get it as JSON)", protocol.InvalidValue, what, l, jsonKind(v))
	}
	return toJSON(v), nil
}
