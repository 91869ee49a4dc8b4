package onepassword

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/conformance/gateway"
	"github.com/execref/execref/protocol"
)

// bundledIDScript runs the bundled plugin's own id code
// (onepassword-secret-id.js) over a corpus: for each id, the reference
// its resolver hands to op, or that it refuses it; for each reference,
// the id its setup writes, or that it refuses it.
const bundledIDScript = `
const { resolveOnePasswordSecretReference, encodeOnePasswordSecretId } = await import(process.argv[1]);
let input = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) input += chunk;
const { ids, refs } = JSON.parse(input);
const run = (f, v) => { try { return { ok: true, out: f(v) }; } catch (e) { return { ok: false, out: e.message }; } };
process.stdout.write(JSON.stringify({
  ids: ids.map((id) => run(resolveOnePasswordSecretReference, id)),
  refs: refs.map((ref) => run(encodeOnePasswordSecretId, ref)),
}));
`

type bundledAnswer struct {
	OK  bool   `json:"ok"`
	Out string `json:"out"`
}

// Our id parsing and encoding agree with the bundled plugin's on every id
// and reference of a corpus: the same ids accepted, naming the same
// reference, and the same ids written by encode.
func TestIDsMatchBundledGateway(t *testing.T) {
	g := gateway.Require(t)
	script := filepath.Join(g.Prefix, "node_modules", "openclaw", "dist", "extensions", "onepassword", "onepassword-secret-id.js")
	ids, refs := idCorpus()
	in, _ := json.Marshal(map[string][]string{"ids": ids, "refs": refs})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, g.Node, "--input-type=module", "-e", bundledIDScript, "file://"+script)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var got struct{ IDs, Refs []bundledAnswer }
	if err := json.Unmarshal(out, &got); err != nil || len(got.IDs) != len(ids) || len(got.Refs) != len(refs) {
		t.Fatalf("bundled answers: %v: %.300s", err, out)
	}
	accepted := 0
	for i, id := range ids {
		ref, err := parseID(id)
		b := got.IDs[i]
		switch {
		case b.OK != (err == nil):
			t.Errorf("id %q: bundled ok=%v (%s), ours: %v", id, b.OK, b.Out, err)
		case b.OK && b.Out != ref.uri:
			t.Errorf("id %q: bundled reads %q, ours %q", id, b.Out, ref.uri)
		case b.OK:
			accepted++
		}
	}
	for i, r := range refs {
		id, err := encodeID(r)
		b := got.Refs[i]
		switch {
		case b.OK != (err == nil):
			t.Errorf("encode %q: bundled ok=%v (%s), ours: %v", r, b.OK, b.Out, err)
		case b.OK && b.Out != id:
			t.Errorf("encode %q: bundled writes %q, ours %q", r, b.Out, id)
		}
	}
	t.Logf("%d ids (%d accepted), %d references", len(ids), accepted, len(refs))
	if accepted < 100 || accepted == len(ids) {
		t.Fatalf("%d of %d ids accepted: the corpus must hold both kinds", accepted, len(ids))
	}
}

// idCorpus is hand-picked ids and references at every rule's edge, plus
// random ones: references of printable ASCII and a few other bytes, their
// opb64 forms, and those forms damaged.
func idCorpus() (ids, refs []string) {
	enc := func(s string) string { return "opb64:" + base64.RawURLEncoding.EncodeToString([]byte(s)) }
	refs = []string{
		"Private/OpenAI/api-key", "op://Private/OpenAI/api-key", "a/b/c/d", "a/b", "a/b/c/d/e", "a//c", "/a/b/c",
		" a/b/c", "a/b/c ", `a\b/c/d`, "a/./c", "a/../c", "op://a/b/c?attribute=otp", "a/b/c?x", "op://a/b?x=/c",
		"opb64:YS9iL2M", "op://Private Vault/My Item/api key", "v/i/ü", "v/i/\t", "", "op://",
		"a b/c/" + strings.Repeat("x", 189), "a b/c/" + strings.Repeat("x", 190), "v/i/" + strings.Repeat("y", 2044),
		"v/i/" + strings.Repeat("y", 2045), "a/b/c#d", "a/b/c:d", "op:/a/b/c", "OP://a/b/c",
	}
	ids = append([]string{}, refs...)
	for _, r := range refs {
		ids = append(ids, enc(r))
	}
	ids = append(ids, "opb64:", "opb64:QR", "opb64:Q", "opb64:QQ==", "opb64:YS9iL2M=", "opb64:YS9iL2M.", enc("x/y/z")+"AB",
		enc("x/y/\xff"), enc("x/y/\xed\xa0\x80"), enc(enc("a/b/c")), "OPB64:YS9iL2M", "opb64:YS9iL2N", "opb64:"+strings.Repeat("A", 250))
	r := rand.New(rand.NewPCG(7, 11))
	const alphabet = "abXY09 ._-:#/?=()$\"'\\{}~\x7f\t\u00e9"
	const common = "abcXYZ0189-_. "
	part := func() string {
		var s strings.Builder
		for range 1 + r.IntN(8) {
			if r.IntN(6) == 0 {
				s.WriteByte(alphabet[r.IntN(len(alphabet))])
			} else {
				s.WriteByte(common[r.IntN(len(common))])
			}
		}
		return s.String()
	}
	for range 400 {
		parts := make([]string, 2+r.IntN(4))
		for i := range parts {
			parts[i] = part()
		}
		ref := strings.Join(parts, "/")
		if r.IntN(3) == 0 {
			ref = "op://" + ref
		}
		refs = append(refs, ref)
		ids = append(ids, ref, enc(ref))
		if e := enc(ref); len(e) > 8 {
			i := 6 + r.IntN(len(e)-6)
			ids = append(ids, e[:i]+string("AQ_-z"[r.IntN(5)])+e[i+1:])
		}
	}
	// The gateway never sends an id outside its grammar: the bundled
	// resolver's answer to one means nothing.
	valid := ids[:0]
	for _, id := range ids {
		if protocol.ValidateID(id) == nil {
			valid = append(valid, id)
		}
	}
	return valid, refs
}
