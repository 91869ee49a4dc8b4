package vault

import (
	"slices"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
)

// An id reaches a secret whose name ends in ":vN" through PATH/FIELD,
// which has no version syntax; the explicit form pins a version. Never
// one for the other.
func TestVersionSuffixNames(t *testing.T) {
	f := newFakeVault(t)
	f.mounts["secret/"] = fakeMount{"kv", "2"}
	f.secrets["secret/data/legacy"] = kv2(3, map[string]any{"token": "legacy-latest"})
	f.secrets["secret/data/legacy?version=1"] = kv2(1, map[string]any{"token": "legacy-version-1"})
	f.secrets["secret/data/legacy:v1"] = kv2(1, map[string]any{"token": "the-secret-named-legacy:v1"})
	f.secrets["secret/data/legacy:v1?version=1"] = kv2(1, map[string]any{"token": "the-secret-named-legacy:v1"})

	o := f.tokenRun(t, nil, "legacy:v1/token", "secret/legacy:v1#token", "secret/legacy:v1:v1#token", "legacy/token", "legacy:v2/token")
	expect(t, o, map[string]string{
		"legacy:v1/token":           "the-secret-named-legacy:v1",
		"secret/legacy:v1#token":    "legacy-version-1",
		"secret/legacy:v1:v1#token": "the-secret-named-legacy:v1",
		"legacy/token":              "legacy-latest",
	}, map[string]protocol.Code{"legacy:v2/token": protocol.NotFound})
}

// Secrets whose names hold '#': PATH/FIELD reads them as the bundled
// resolver does, the explicit form splits at the last '#'.
func TestHashInNames(t *testing.T) {
	f := newFakeVault(t)
	f.mounts["secret/"] = fakeMount{"kv", "2"}
	f.mounts["kv/"] = fakeMount{"kv", "2"}
	f.secrets["secret/data/a#b"] = kv2(1, map[string]any{"c": "secret a#b field c"})
	f.secrets["kv/data/x#y"] = kv2(1, map[string]any{"f": "kv x#y field f", "g#h": "unreachable by field"})
	f.secrets["kv/data/x"] = kv2(1, map[string]any{"y#f": "kv x field y#f", "f": "kv x field f"})

	o := f.tokenRun(t, nil, "a#b/c", "kv/x#y#f", "kv/x#f", "kv/x#y#g#h")
	expect(t, o, map[string]string{
		"a#b/c":    "secret a#b field c",
		"kv/x#y#f": "kv x#y field f",
		"kv/x#f":   "kv x field f",
	}, map[string]protocol.Code{"kv/x#y#g#h": protocol.NotFound}) // secret kv/x#y#g, field h
}

// Vault's mount lookup answering a mount that does not hold the path (as
// Enterprise may for a path through a child namespace, or a proxy): the
// id fails; the resolver never reads the path inside that other mount.
func TestMountLookupMustHoldPath(t *testing.T) {
	f := newFakeVault(t)
	f.lookups["kv2/app"] = map[string]any{"path": "kv/", "type": "kv", "options": map[string]any{"version": "2"}}
	f.secrets["kv/data/kv2/app"] = kv2(1, map[string]any{"apiKey": "kv secret kv2/app"})
	f.secrets["kv/data/app"] = kv2(1, map[string]any{"apiKey": "kv secret app"})

	o := f.tokenRun(t, nil, "kv2/app#apiKey")
	expect(t, o, nil, map[string]protocol.Code{"kv2/app#apiKey": protocol.NotFound})
	for _, r := range f.requests() {
		if strings.HasPrefix(r, "GET kv/") {
			t.Errorf("read %s for kv2/app", r)
		}
	}
}

// An id naming a mount itself ("team/apps", mount "team/apps/") is no
// secret: not the secret "team/apps" inside that mount.
func TestIDNamingAMount(t *testing.T) {
	f := newFakeVault(t)
	f.mounts["team/apps/"] = fakeMount{"kv", "2"}
	f.secrets["team/apps/data/team/apps"] = kv2(1, map[string]any{"token": "secret team/apps inside team/apps/"})
	f.secrets["team/apps/data/web"] = kv2(1, map[string]any{"token": "web"})

	o := f.tokenRun(t, nil, "team/apps#token", "team/apps/web#token")
	expect(t, o, map[string]string{"team/apps/web#token": "web"}, map[string]protocol.Code{"team/apps#token": protocol.NotFound})
}

// Mounts that are not KV are refused, as are KV versions the resolver does
// not know.
func TestNonKVMounts(t *testing.T) {
	f := newFakeVault(t)
	f.mounts["transit/"] = fakeMount{"transit", ""}
	f.mounts["kv3/"] = fakeMount{"kv", "3"}
	f.mounts["cubbyhole/"] = fakeMount{"cubbyhole", ""}
	f.secrets["transit/keys/app"] = map[string]any{"name": "app"}
	f.secrets["kv3/app"] = map[string]any{"f": "x"}
	f.secrets["cubbyhole/app"] = map[string]any{"f": "the token's cubbyhole"}

	o := f.tokenRun(t, nil, "transit/keys/app#name", "kv3/app#f", "cubbyhole/app#f")
	expect(t, o, map[string]string{"cubbyhole/app#f": "the token's cubbyhole"},
		map[string]protocol.Code{"transit/keys/app#name": protocol.InvalidID, "kv3/app#f": protocol.InvalidID})
}

// A pinned version is checked against the version Vault says it read.
func TestPinnedVersionChecked(t *testing.T) {
	f := newFakeVault(t)
	f.mounts["kv/"] = fakeMount{"kv", "2"}
	f.secrets["kv/data/app?version=1"] = kv2(2, map[string]any{"apiKey": "version 2"})
	f.secrets["kv/data/app?version=2"] = kv2(2, map[string]any{"apiKey": "version 2"})

	o := f.tokenRun(t, nil, "kv/app:v1#apiKey", "kv/app:v2#apiKey")
	expect(t, o, map[string]string{"kv/app:v2#apiKey": "version 2"}, map[string]protocol.Code{"kv/app:v1#apiKey": protocol.Unavailable})
}

// A KV v1 mount read as KV v2 (configured, or guessed when the lookup is
// refused): kv/data/db is then the v1 secret "data/db", whatever its
// fields; without KV v2's record it is no answer for db.
func TestAssumedV2OnV1Mount(t *testing.T) {
	f := newFakeVault(t)
	f.secrets["kv/data/db"] = map[string]any{"data": map[string]any{"password": "v1 secret data/db"}}
	f.secrets["kv/db"] = map[string]any{"password": "v1 secret db"}

	for _, args := range [][]string{{"--kv-version", "2"}, nil} { // nil: lookup refused, KV v2 guessed
		o := f.tokenRun(t, args, "kv/db#password")
		expect(t, o, nil, map[string]protocol.Code{"kv/db#password": protocol.NotFound})
	}
	o := f.run(t, map[string]string{"VAULT_TOKEN": f.token, envKVMount: "kv", envKVVersion: "2"}, nil, "db/password")
	expect(t, o, nil, map[string]protocol.Code{"db/password": protocol.NotFound})
}

// A KV v2 mount read as KV v1 by configuration: an id whose path starts
// with data/ would get the versioned record of another secret.
func TestAssumedV1OnV2Mount(t *testing.T) {
	f := newFakeVault(t)
	f.secrets["kv/data/app"] = kv2(4, map[string]any{"apiKey": "kv v2 secret app"})

	o := f.tokenRun(t, []string{"--kv-version", "1", "--json"}, "kv/data/app#data", "kv/data/app#")
	expect(t, o, nil, map[string]protocol.Code{"kv/data/app#data": protocol.NotFound, "kv/data/app#": protocol.NotFound})
}

// PATH/FIELD ids are in the configured mount exactly: a mount lookup
// reporting another mount fails them, where the bundled resolver (KV v2)
// would read MOUNT/data/PATH and find nothing.
func TestConfiguredMountIsExact(t *testing.T) {
	f := newFakeVault(t)
	f.mounts["team/apps/"] = fakeMount{"kv", "2"}
	f.secrets["team/apps/data/web"] = kv2(1, map[string]any{"token": "team/apps web"})

	o := f.tokenRun(t, []string{"--mount", "team"}, "apps/web/token")
	expect(t, o, nil, map[string]protocol.Code{"apps/web/token": protocol.NotFound})
	o = f.tokenRun(t, []string{"--mount", "team/apps"}, "web/token")
	expect(t, o, map[string]string{"web/token": "team/apps web"}, nil)
}

// With the version given, the mount of PATH/FIELD ids is the configured
// one, all of its segments, not the path's first segment; and the
// longest known mount holds an explicit id.
func TestConfiguredMountWithVersion(t *testing.T) {
	f := newFakeVault(t)
	f.secrets["team/apps/data/web"] = kv2(1, map[string]any{"token": "team/apps web"})
	f.secrets["team/data/apps/web"] = kv2(1, map[string]any{"token": "team data/apps/web"})
	f.secrets["team/data/x"] = kv2(1, map[string]any{"a": "team x"})

	o := f.tokenRun(t, []string{"--mount", "team/apps", "--kv-version", "2"}, "web/token", "team/x#a", "team/apps/web#token")
	expect(t, o, map[string]string{"web/token": "team/apps web", "team/x#a": "team x", "team/apps/web#token": "team/apps web"}, nil)
	o = f.run(t, map[string]string{"VAULT_TOKEN": f.token, envKVMount: "team/apps", envKVVersion: "2"}, nil, "web/token")
	expect(t, o, map[string]string{"web/token": "team/apps web"}, nil)
}

// The same secret asked several ways is read once; a pinned version and
// the latest are two reads.
func TestSameSecretSeveralWays(t *testing.T) {
	f := newFakeVault(t)
	f.mounts["secret/"] = fakeMount{"kv", "2"}
	f.secrets["secret/data/providers/openai"] = kv2(2, map[string]any{"apiKey": "latest", "org": "org"})
	f.secrets["secret/data/providers/openai?version=1"] = kv2(1, map[string]any{"apiKey": "first"})

	ids := []string{"providers/openai/apiKey", "secret/providers/openai#apiKey", "providers/openai/org",
		"secret/providers/openai:v1#apiKey", "secret/providers/openai#org"}
	o := f.tokenRun(t, nil, ids...)
	expect(t, o, map[string]string{"providers/openai/apiKey": "latest", "secret/providers/openai#apiKey": "latest",
		"providers/openai/org": "org", "secret/providers/openai:v1#apiKey": "first", "secret/providers/openai#org": "org"}, nil)
	reads := 0
	for _, r := range f.requests() {
		if strings.HasPrefix(r, "GET secret/data/") {
			reads++
		}
	}
	if reads != 2 {
		t.Errorf("%d reads (%v), want 2: latest and version 1", reads, f.requests())
	}
}

// Mount names that are prefixes of each other, as strings but not as
// segments: kv/ and kv2/.
func TestMountNamePrefixes(t *testing.T) {
	f := newFakeVault(t)
	f.mounts["kv/"] = fakeMount{"kv", "2"}
	f.mounts["kv2/"] = fakeMount{"kv", "1"}
	f.secrets["kv/data/app"] = kv2(1, map[string]any{"f": "kv app"})
	f.secrets["kv/data/2/app"] = kv2(1, map[string]any{"f": "kv 2/app"})
	f.secrets["kv2/app"] = map[string]any{"f": "kv2 app"}

	ids := []string{"kv/app#f", "kv2/app#f", "kv/2/app#f"}
	for _, order := range [][]string{ids, {ids[1], ids[2], ids[0]}, {ids[2], ids[0], ids[1]}} {
		o := f.tokenRun(t, nil, order...)
		expect(t, o, map[string]string{"kv/app#f": "kv app", "kv2/app#f": "kv2 app", "kv/2/app#f": "kv 2/app"}, nil)
	}
	if slices.Contains(f.requests(), "GET kv/data/2/app") == false {
		t.Errorf("kv/2/app was not read as such: %v", f.requests())
	}
}
