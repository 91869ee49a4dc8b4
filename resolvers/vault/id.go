package vault

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/execref/execref/protocol"
)

// secret names one read as the id wrote it: the secret's full path (its
// mount included), the mount when the id's form fixes it, and a pinned KV
// v2 version (0: the latest).
type secret struct {
	// mount is the configured mount ("secret", "team/apps", no slash at
	// either end) of a PATH/FIELD id, whose path is in it by definition;
	// "" for MOUNT/PATH#FIELD, whose mount Vault's lookup finds.
	mount   string
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

// versionSuffix is what looks like a version pin at the end of an
// explicit id's path: "app:v3". It matches any digits, so that a
// non-canonical pin (":v0", ":v03", too many digits) is refused rather
// than read as part of the secret's name.
var versionSuffix = regexp.MustCompile(`:v([0-9]+)$`)

// maxVersion bounds a pinned version: KV v2 versions are positive 32-bit
// integers.
const maxVersion = 1<<31 - 1

// parseID reads one id. The two forms are told apart by the id's last
// segment (what follows its last '/'):
//
//   - it holds a '#': MOUNT/PATH[:vN]#FIELD, split at the last '#', so
//     that a path may hold '#' and ':' (the field may hold neither '#' nor
//     '/'); a ":vN" at the end of the path pins version N;
//   - it holds none: PATH/FIELD in the configured mount, the gateway's
//     bundled syntax, split at the last '/'. PATH is the secret's name as
//     is: there is no version syntax, so "legacy:v1/token" reads the
//     secret named "legacy:v1", and "a#b/c" the secret named "a#b".
//
// mount is the configured mount, without slashes at its ends. With
// pathField (--bundled-ids) every id is PATH/FIELD, '#' included, exactly
// as the bundled resolver reads it: the one id that would otherwise name
// another secret there (a field holding '#') then names the same one.
func parseID(id, mount string, pathField bool) (ref, error) {
	bad := func(why string) (ref, error) {
		return ref{}, fmt.Errorf("%w: %q: %s", protocol.InvalidID, id, why)
	}
	var r ref
	last := id[strings.LastIndex(id, "/")+1:]
	if hash := strings.LastIndex(last, "#"); hash >= 0 && !pathField {
		path := id[:len(id)-len(last)+hash]
		r.field, r.whole = last[hash+1:], hash == len(last)-1
		if !strings.Contains(path, "/") {
			return bad("want MOUNT/PATH#FIELD")
		}
		if m := versionSuffix.FindStringSubmatch(path); m != nil {
			v, err := strconv.Atoi(m[1])
			if err != nil || v < 1 || v > maxVersion || m[1] != strconv.Itoa(v) {
				return bad("a version is :vN with N a whole number from 1, without leading zeros")
			}
			r.version, path = v, strings.TrimSuffix(path, m[0])
		}
		r.path = path
	} else {
		i := strings.LastIndex(id, "/")
		if i < 0 {
			return bad("want PATH/FIELD (in mount " + mount + ") or MOUNT/PATH#FIELD")
		}
		r.mount, r.path, r.field = mount, mount+"/"+id[:i], id[i+1:]
	}
	for _, seg := range strings.Split(r.path, "/") {
		if seg == "" {
			return bad("empty path segment")
		}
	}
	if !r.whole && r.field == "" {
		return bad("empty field")
	}
	return r, nil
}
