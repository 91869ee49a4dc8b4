package vault

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/execref/execref/protocol"
)

// secret names one read: a KV path, mount included, and a pinned KV v2
// version (0: the latest).
type secret struct {
	path    string
	version int
}

// ref is a parsed id: a secret and the field wanted from it ("" with
// whole: the secret's only field, or the whole secret as JSON).
type ref struct {
	secret
	field string
	whole bool
}

// versionSuffix pins a KV v2 version on the secret's path: "app:v3".
var versionSuffix = regexp.MustCompile(`:v([0-9]{1,9})$`)

// parseID reads MOUNT/PATH[:vN]#FIELD, or PATH[:vN]/FIELD under mount.
func parseID(id, mount string) (ref, error) {
	bad := func(why string) (ref, error) {
		return ref{}, fmt.Errorf("%w: %q: %s", protocol.InvalidID, id, why)
	}
	var r ref
	var path string
	if before, field, ok := strings.Cut(id, "#"); ok {
		if strings.Contains(field, "#") {
			return bad("more than one '#'")
		}
		if !strings.Contains(before, "/") {
			return bad("want MOUNT/PATH#FIELD")
		}
		path, r.field, r.whole = before, field, field == ""
	} else {
		i := strings.LastIndex(id, "/")
		if i < 0 {
			return bad("want PATH/FIELD (in mount " + mount + ") or MOUNT/PATH#FIELD")
		}
		path, r.field = strings.Trim(mount, "/")+"/"+id[:i], id[i+1:]
	}
	if m := versionSuffix.FindStringSubmatch(path); m != nil {
		r.version, _ = strconv.Atoi(m[1])
		if r.version == 0 {
			return bad("versions start at v1")
		}
		path = strings.TrimSuffix(path, m[0])
	}
	for _, seg := range strings.Split(path, "/") {
		if seg == "" {
			return bad("empty path segment")
		}
	}
	r.path = path
	return r, nil
}
