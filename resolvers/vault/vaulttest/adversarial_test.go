package vaulttest_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/vault/vaulttest/server"
	"github.com/execref/execref/sdk/host"
)

// The adversarial set: secrets whose names are prefixes and suffixes of
// each other, hold ':', ":vN", '#', '.', '-' and '_', in mounts whose
// names are prefixes of each other (kv/, kv2/, kv.d-1_x/), of KV v1 and v2,
// one of two segments (team/apps/) holding a secret named like the mount.
// Every value names its own item (mount, secret, version, field), so a
// value given for another id is caught by comparing it with the value of
// the id's own item.

// advMount is a mount of the set.
type advMount struct {
	path    string // "kv/"
	version int
	fresh   bool // mounted by the test; otherwise one of the fixtures'
}

var advMounts = []advMount{
	{"kv/", 2, true}, {"kv2/", 2, false}, {"kv.d-1_x/", 1, true}, {"kv1/", 1, false},
	{"secret/", 1, false}, {"team/apps/", 2, false},
}

// advSecret is a secret of the set, with versions versions (KV v1: 1).
type advSecret struct {
	name     string
	versions int
	fields   []string
}

// advNames are written to every mount. Field names hold ':' and '.';
// "k#2" (a field with '#') is reachable only as part of the whole secret.
var advNames = []advSecret{
	{"app", 3, []string{"f", "g:v1"}},
	{"app:v1", 2, []string{"f", "g:v1"}},
	{"app:v2", 1, []string{"f"}},
	{"app:v1:v2", 1, []string{"f"}},
	{"app:x", 1, []string{"f"}},
	{"app/x", 2, []string{"f", "h.x"}},
	{"app/x/y", 1, []string{"f"}},
	{"ap", 1, []string{"f"}},
	{"app2", 1, []string{"f"}},
	{"app.x", 1, []string{"f"}},
	{"app-x", 1, []string{"f"}},
	{"app_x", 1, []string{"f"}},
	{"app#1", 2, []string{"f"}},
	{"app#1/x", 1, []string{"f", "k#2"}},
	{"a#b", 1, []string{"f"}},
	{"x/app", 1, []string{"f"}},
	{"legacy", 2, []string{"token"}},
	{"legacy:v1", 2, []string{"token"}},
	{"only", 2, []string{"one"}},
}

// extraNames are written to one mount only: in secret/, the secret named
// "kv/a#b" (which the PATH/FIELD id kv/a#b/f reads, not kv/'s a#b); in
// team/apps/, a secret named like its mount.
var extraNames = map[string][]advSecret{
	"secret/":    {{"kv/a#b", 1, []string{"f"}}, {"kv2/app", 1, []string{"f"}}},
	"team/apps/": {{"team/apps", 1, []string{"f"}}, {"apps/web", 1, []string{"f"}}},
}

// advItem is one field of one version of one secret (version 0: KV v1).
type advItem struct {
	mount, name string
	version     int
	field       string
}

func (it advItem) value() string {
	return fmt.Sprintf("<%s|%s|v%d|%s>-s3cr3t", it.mount, it.name, it.version, it.field)
}

// advWant is what an id must get: the value of its item, or (value "")
// a failure, with this code unless code is "".
type advWant struct {
	value string
	code  protocol.Code
}

var pinSuffix = regexp.MustCompile(`:v[0-9]+$`)

// writeAdversarial mounts the fresh mounts and writes every version of
// every secret; it returns the secrets of each mount.
func writeAdversarial(t *testing.T, s *server.Server) map[string][]advSecret {
	t.Helper()
	secrets := map[string][]advSecret{}
	for _, m := range advMounts {
		if m.fresh {
			if err := s.MountKV(strings.TrimSuffix(m.path, "/"), fmt.Sprint(m.version)); err != nil {
				t.Fatalf("mount %s: %v", m.path, err)
			}
		}
		for _, sec := range append(slices.Clone(advNames), extraNames[m.path]...) {
			if m.version == 1 {
				sec.versions = 1
			}
			for v := 1; v <= sec.versions; v++ {
				fields := map[string]any{}
				for _, f := range sec.fields {
					it := advItem{m.path, sec.name, v, f}
					if m.version == 1 {
						it.version = 0
					}
					fields[f] = it.value()
				}
				if err := s.PutKV(m.path, m.version, sec.name, fields); err != nil {
					t.Fatalf("write %s%s: %v", m.path, sec.name, err)
				}
			}
			secrets[m.path] = append(secrets[m.path], sec)
		}
	}
	return secrets
}

// explicitIDs are the MOUNT/PATH[:vN]#FIELD ids of every item, with what
// each must get.
func explicitIDs(secrets map[string][]advSecret) map[string]advWant {
	want := map[string]advWant{}
	for _, m := range advMounts {
		for _, sec := range secrets[m.path] {
			latest := sec.versions
			if m.version == 1 {
				latest = 0
			}
			if len(sec.fields) == 1 {
				// The whole secret: its only field. A name ending in :vN
				// would be read as a pin: that id is a trap below.
				if !pinSuffix.MatchString(sec.name) {
					want[m.path+sec.name+"#"] = advWant{value: advItem{m.path, sec.name, latest, sec.fields[0]}.value()}
				}
			}
			for _, f := range sec.fields {
				if strings.ContainsAny(f, "#/") {
					continue // no explicit id reaches it
				}
				if !pinSuffix.MatchString(sec.name) {
					want[m.path+sec.name+"#"+f] = advWant{value: advItem{m.path, sec.name, latest, f}.value()}
				}
				if m.version == 1 {
					want[m.path+sec.name+":v1#"+f] = advWant{code: protocol.InvalidID}
					continue
				}
				for v := 1; v <= sec.versions; v++ {
					want[fmt.Sprintf("%s%s:v%d#%s", m.path, sec.name, v, f)] = advWant{value: advItem{m.path, sec.name, v, f}.value()}
				}
				want[fmt.Sprintf("%s%s:v%d#%s", m.path, sec.name, sec.versions+1, f)] = advWant{code: protocol.NotFound}
			}
		}
	}
	// Traps, by hand. In kv/ (KV v2), "kv/app:v1#f" is version 1 of app
	// (generated above, from app), never the secret named app:v1.
	want["kv/app:v1#f"] = advWant{value: advItem{"kv/", "app", 1, "f"}.value()}
	want["kv/app:v2#f"] = advWant{value: advItem{"kv/", "app", 2, "f"}.value()}
	want["kv/app:v1:v2#f"] = advWant{value: advItem{"kv/", "app:v1", 2, "f"}.value()}
	// A name ending in :vN, without a version: version N of the shorter
	// name in the explicit form; in KV v1 (no versions) an invalid id.
	want["kv1/app:v2#f"] = advWant{code: protocol.InvalidID}
	// A mount is not a secret, not even with a secret of its name in it.
	want["team/apps#f"] = advWant{code: protocol.NotFound}
	want["team/apps#"] = advWant{code: protocol.NotFound}
	// The field "k#2" is no field of "app#1/x": the id is the secret
	// "app#1/x#k" (absent), field "2".
	want["kv/app#1/x#k#2"] = advWant{code: protocol.NotFound}
	// A version 0, or with a leading zero, is no version.
	want["kv/app:v0#f"] = advWant{code: protocol.InvalidID}
	want["kv/app:v01#f"] = advWant{code: protocol.InvalidID}
	return want
}

// pathFieldIDs are the PATH/FIELD ids of every latest item of mount, with
// what each must get under --mount (or OPENCLAW_VAULT_KV_MOUNT) mount:
// the secret's name as is, however it ends.
func pathFieldIDs(m advMount, secrets []advSecret) map[string]advWant {
	want := map[string]advWant{}
	for _, sec := range secrets {
		latest := sec.versions
		if m.version == 1 {
			latest = 0
		}
		for _, f := range sec.fields {
			if strings.ContainsAny(f, "#/") {
				continue // its last segment would make the id explicit
			}
			want[sec.name+"/"+f] = advWant{value: advItem{m.path, sec.name, latest, f}.value()}
		}
	}
	want["missing/f"] = advWant{code: protocol.NotFound}
	want["app/missing"] = advWant{code: protocol.NotFound}
	return want
}

// permutations are the orders a batch is sent in: sorted, reversed, and
// shuffled with fixed seeds (the same orders every run).
func permutations(ids []string) [][]string {
	sorted := slices.Sorted(slices.Values(ids))
	reversed := slices.Clone(sorted)
	slices.Reverse(reversed)
	out := [][]string{sorted, reversed}
	for seed := uint64(1); seed <= 3; seed++ {
		p := slices.Clone(sorted)
		rand.New(rand.NewPCG(seed, seed)).Shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
		out = append(out, p)
	}
	return out
}

// checkAdversarial checks every id of res against want. Strict: each id
// gets exactly its item's value, or fails with the wanted code. Lenient
// (the mount lookup refused, mounts guessed): an id may also fail, but a
// value is still its own item's.
func checkAdversarial(t *testing.T, res map[string]host.Result, want map[string]advWant, strict bool) {
	t.Helper()
	for id, w := range want {
		r, ok := res[id]
		got, isString := r.Value.(string)
		switch {
		case !ok:
			t.Errorf("%s: no result", id)
		case r.Err == nil && (w.value == "" || got != w.value):
			t.Errorf("%s: got the value %q, want %s", id, got, describeWant(w))
		case r.Err != nil && isString && got != "":
			t.Errorf("%s: a value %q beside the error %v", id, got, r.Err)
		case r.Err != nil && strict && w.value != "":
			t.Errorf("%s: %v, want the value %q", id, r.Err, w.value)
		case r.Err != nil && strict && w.code != "" && codeOf(r) != w.code:
			t.Errorf("%s: %v, want %s", id, r.Err, w.code)
		}
	}
}

func describeWant(w advWant) string {
	if w.value != "" {
		return fmt.Sprintf("%q", w.value)
	}
	return "a failure " + string(w.code)
}

// TestAdversarialNames runs the adversarial set through the built
// resolver and the host runner, as the gateway does: every explicit id of
// every item, and the PATH/FIELD ids of one mount at a time (--mount, then
// the bundled resolver's OPENCLAW_VAULT_KV_MOUNT and _KV_VERSION), in five
// orders; then with the mount lookup refused. No id ever gets another
// item's value.
func TestAdversarialNames(t *testing.T) {
	s := server.Start(t)
	secrets := writeAdversarial(t, s)
	// The mount cache relies on Vault refusing a mount under or above
	// another one: pin it.
	for _, nested := range []string{"kv/x", "team", "team/apps/web"} {
		if err := s.MountKV(nested, "2"); err == nil {
			t.Fatalf("Vault mounted %s/ beside kv/ or team/apps/: nested mounts exist, and a cached mount no longer holds every path under it", nested)
		}
	}
	explicit := explicitIDs(secrets)

	for _, m := range advMounts {
		want := pathFieldIDs(m, secrets[m.path])
		for id, w := range explicit {
			want[id] = w
		}
		ids := slices.Collect(maps.Keys(want))
		if len(ids) > 512 {
			t.Fatalf("%d ids in one batch; the gateway sends at most 512", len(ids))
		}
		t.Run("mount="+m.path, func(t *testing.T) {
			t.Logf("%d ids per batch", len(ids))
			for i, order := range permutations(ids) {
				p := tokenProvider(s.Addr, s.RootToken, "--mount", m.path)
				checkAdversarial(t, ok(t, p, order...), want, true)
				if t.Failed() {
					t.Fatalf("order %d failed", i)
				}
			}
			bundled := provider(s.Addr, map[string]string{"VAULT_TOKEN": s.RootToken,
				"OPENCLAW_VAULT_KV_MOUNT": m.path, "OPENCLAW_VAULT_KV_VERSION": fmt.Sprint(m.version)})
			checkAdversarial(t, ok(t, bundled, permutations(ids)[2]...), want, true)
		})
	}

	t.Run("lookup refused", func(t *testing.T) {
		px := server.NewProxy(t, s.Addr)
		px.SetHook(refuseLookups)
		m := advMounts[0]
		want := pathFieldIDs(m, secrets[m.path])
		for id, w := range explicit {
			want[id] = w
		}
		ids := slices.Collect(maps.Keys(want))
		for _, order := range permutations(ids)[:2] {
			checkAdversarial(t, ok(t, tokenProvider(px.URL, s.RootToken, "--mount", m.path), order...), want, false)
		}
	})
}
