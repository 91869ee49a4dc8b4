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

// read fetches one secret's fields from its mount. A missing secret, or a
// KV v2 version that was deleted or destroyed, is NOT_FOUND.
func read(ctx context.Context, client *api.Client, m mount, s secret) (map[string]any, error) {
	if m.version == 1 {
		if s.version != 0 {
			return nil, fmt.Errorf("%w: %s is in KV v1 mount %q, which keeps no versions", protocol.InvalidID, s.path, m.path)
		}
		got, err := client.Logical().ReadWithContext(ctx, s.path)
		if err != nil {
			return nil, err
		}
		if got == nil || got.Data == nil {
			return nil, fmt.Errorf("%w: no secret at %s", protocol.NotFound, s.path)
		}
		return got.Data, nil
	}
	params := url.Values{}
	if s.version != 0 {
		params.Set("version", strconv.Itoa(s.version))
	}
	dataPath := m.path + "data/" + strings.TrimPrefix(s.path, m.path)
	got, err := client.Logical().ReadWithDataWithContext(ctx, dataPath, params)
	if err != nil {
		return nil, err
	}
	if got == nil || got.Data == nil {
		return nil, fmt.Errorf("%w: no secret at %s", protocol.NotFound, s.describe())
	}
	data, _ := got.Data["data"].(map[string]any)
	if data != nil {
		return data, nil
	}
	// Vault answers a deleted or destroyed version with its metadata only.
	meta, _ := got.Data["metadata"].(map[string]any)
	version := fmt.Sprint(meta["version"])
	switch {
	case meta["destroyed"] == true:
		return nil, fmt.Errorf("%w: version %s of %s was destroyed", protocol.NotFound, version, s.path)
	case meta["deletion_time"] != nil && meta["deletion_time"] != "":
		return nil, fmt.Errorf("%w: version %s of %s was deleted at %v (undelete it, or pin another version with :vN)", protocol.NotFound, version, s.path, meta["deletion_time"])
	}
	return nil, fmt.Errorf("%w: no data at %s", protocol.NotFound, s.describe())
}

func (s secret) describe() string {
	if s.version == 0 {
		return s.path
	}
	return fmt.Sprintf("%s (version %d)", s.path, s.version)
}

// pick selects the wanted field of a secret and renders it as a string.
func (r *Resolver) pick(data map[string]any, ref ref) (string, error) {
	if ref.whole {
		if len(data) == 1 {
			for _, v := range data {
				return r.render(v, ref, "its only field")
			}
		}
		if !r.jsonValues {
			return "", fmt.Errorf("%w: %s has %d fields: name one with #FIELD, or pass --json for all of them", protocol.InvalidValue, ref.describe(), len(data))
		}
		return toJSON(data), nil
	}
	v, ok := data[ref.field]
	if !ok {
		return "", fmt.Errorf("%w: %s has no field %q", protocol.NotFound, ref.describe(), ref.field)
	}
	return r.render(v, ref, fmt.Sprintf("field %q", ref.field))
}

// render accepts non-empty strings; anything else only as JSON on request.
func (r *Resolver) render(v any, ref ref, what string) (string, error) {
	switch s := v.(type) {
	case string:
		if strings.TrimSpace(s) == "" {
			return "", fmt.Errorf("%w: %s of %s is empty", protocol.InvalidValue, what, ref.describe())
		}
		return s, nil
	case nil:
		return "", fmt.Errorf("%w: %s of %s is null", protocol.InvalidValue, what, ref.describe())
	}
	if !r.jsonValues {
		return "", fmt.Errorf("%w: %s of %s is a %s, not a string (pass --json to get it as JSON)", protocol.InvalidValue, what, ref.describe(), jsonKind(v))
	}
	return toJSON(v), nil
}
