package aws_test

import (
	"slices"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/aws/internal/fakeaws"
)

// An answer reaches an id only when it is provably that id's secret or
// parameter, in that version; otherwise the id gets an error. Each test
// here reproduces one way an answer could reach the wrong id.

// partialOf is a secret's ARN without the hyphen and six characters
// Secrets Manager appends.
func partialOf(arn string) string { return arn[:len(arn)-7] }

// A partial ARN matches a secret whose ARN is it plus exactly a hyphen
// and six characters, never a secret whose name merely starts with the
// same text, in whatever order the ids come.
func TestPartialARNNeverMatchesALongerName(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.fake.PutSecretString("prod/openai", "value of prod/openai")
	w.fake.PutSecretString("prod/openai-extra", "value of prod/openai-extra")
	w.fake.PutSecretString("prod/openai-extra2", "value of prod/openai-extra2")
	partial := "sm:" + partialOf(w.fake.SecretARN("prod/openai"))
	want := map[string]string{
		partial:                 "value of prod/openai",
		"sm:prod/openai-extra":  "value of prod/openai-extra",
		"sm:prod/openai-extra2": "value of prod/openai-extra2",
	}
	orders := [][]string{
		{partial, "sm:prod/openai-extra", "sm:prod/openai-extra2"},
		{"sm:prod/openai-extra", partial, "sm:prod/openai-extra2"},
		{"sm:prod/openai-extra2", "sm:prod/openai-extra", partial},
	}
	for _, ids := range orders {
		res := resolve(t, w.provider(nil), ids...)
		checkValues(t, res, map[string]string{ids[0]: want[ids[0]], ids[1]: want[ids[1]], ids[2]: want[ids[2]]})
	}
	// Alone, as a pinned version too.
	checkValues(t, resolve(t, w.provider(nil), partial, partial+"::AWSCURRENT"),
		map[string]string{partial: "value of prod/openai", partial + "::AWSCURRENT": "value of prod/openai"})
}

// An emulator that resolves a partial ARN by prefix answers with another
// secret: whether batched or pinned, the id gets an error naming what it
// asked, never that secret's value.
func TestLoosePartialARNRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.fake.PutSecretString("prod/openai", "value of prod/openai")
	w.fake.PutSecretString("prod/openai-extra", "value of prod/openai-extra")
	w.fake.LoosePartialARNs(true)
	partial := partialOf(w.fake.SecretARN("prod/openai"))
	ids := []string{"sm:" + partial, "sm:" + partial + "::AWSCURRENT", "sm:prod/openai-extra"}
	res := resolve(t, w.provider(nil), ids...)
	checkCodes(t, res, map[string]protocol.Code{ids[0]: protocol.Unavailable, ids[1]: protocol.Unavailable},
		map[string][]string{ids[0]: {partial}, ids[1]: {partial, "prod/openai-extra"}})
	checkValues(t, res, map[string]string{"sm:prod/openai-extra": "value of prod/openai-extra"})
}

// A string that is one secret's complete ARN and another's partial ARN
// (that one's name ends in a hyphen and six characters) names two
// secrets. When AWS's answer shows both, the id is
// AMBIGUOUS_DUPLICATE_KEY; alone it is what AWS takes it for, the
// complete ARN.
func TestPartialARNAmbiguous(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.fake.PutSecretString("app/db", "value of app/db")
	full := w.fake.SecretARN("app/db")
	lookAlike := "app/db" + full[len(full)-7:]
	w.fake.PutSecretString(lookAlike, "value of the look-alike")

	for _, ids := range [][]string{
		{"sm:" + full, "sm:" + lookAlike},
		{"sm:" + lookAlike, "sm:" + full + "#k", "sm:" + full},
		{"sm:" + w.fake.SecretARN(lookAlike), "sm:" + full},
	} {
		res := resolve(t, w.provider(nil), ids...)
		checkCodes(t, res, map[string]protocol.Code{"sm:" + full: protocol.AmbiguousDuplicateKey},
			map[string][]string{"sm:" + full: {full, "app/db", lookAlike}})
		for _, id := range ids {
			if id != "sm:"+full && id != "sm:"+full+"#k" {
				checkValues(t, res, map[string]string{id: "value of the look-alike"})
			}
		}
	}
	checkValues(t, resolve(t, w.provider(nil), "sm:"+full), map[string]string{"sm:" + full: "value of app/db"})
}

// A version or label id is matched to its answer by the answer's
// Selector. An emulator or proxy that leaves Selector out must not make
// the unversioned id of the same parameter get a pinned version's value:
// a version is proven by the answer's Version, a label cannot be, and the
// id gets an error saying so rather than NOT_FOUND.
func TestSelectorsWithoutSelectorField(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.fake.PutParameter("/p", fakeaws.TypeSecureString, "/p version 1")
	w.fake.PutParameter("/p", fakeaws.TypeSecureString, "/p version 2")
	w.fake.PutParameter("/p", fakeaws.TypeSecureString, "/p version 3")
	w.fake.LabelParameterVersion("/p", 1, "old")
	w.fake.PutParameter("/q", fakeaws.TypeString, "/q version 1")
	arn := w.fake.ParameterARN("/p")
	want := map[string]string{
		"ssm:/p": "/p version 3", "ssm:/p:1": "/p version 1", "ssm:/p:2": "/p version 2",
		"ssm:" + arn: "/p version 3", "ssm:" + arn + ":1": "/p version 1", "ssm:/q": "/q version 1",
	}
	for _, omit := range []bool{false, true} {
		w.fake.OmitSelector(omit)
		for _, ids := range [][]string{
			{"ssm:/p:1", "ssm:/p", "ssm:/p:old", "ssm:/q"},
			{"ssm:/p", "ssm:/p:2", "ssm:/p:1", "ssm:" + arn, "ssm:" + arn + ":1", "ssm:/p:old"},
			{"ssm:/p:old", "ssm:" + arn + ":1", "ssm:/p:2", "ssm:/p", "ssm:/q"},
		} {
			w.fake.Reset()
			res := resolve(t, w.provider(nil), ids...)
			wantHere := map[string]string{}
			for _, id := range ids {
				if v, ok := want[id]; ok {
					wantHere[id] = v
				}
			}
			checkValues(t, res, wantHere)
			if omit {
				checkCodes(t, res, map[string]protocol.Code{"ssm:/p:old": protocol.Unavailable},
					map[string][]string{"ssm:/p:old": {"/p", "old", "Selector"}})
			} else {
				checkValues(t, res, map[string]string{"ssm:/p:old": "/p version 1"})
			}
		}
	}
	// Every GetParameters call asked at most one name of each parameter,
	// so that no answer could be taken for another name's.
	for _, names := range w.fake.CallIDs(fakeaws.OpGetParameters) {
		if n := len(slices.DeleteFunc(slices.Clone(names), func(s string) bool { return s == "/q" })); n > 1 {
			t.Errorf("one GetParameters call asked %d names of /p: %q", n, names)
		}
	}
}

// A pinned version is checked against the answer: a cache that ignores
// VersionStage and VersionId answers the current version, which reaches
// only the ids that asked for it.
func TestPinnedVersionCheckedAgainstAnswer(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	v1 := w.fake.PutSecretString("a", "value of a v1")
	v2 := w.fake.PutSecretString("a", "value of a v2")
	w.fake.IgnoreSecretVersions(true)
	res := resolve(t, w.provider(nil), "sm:a::AWSPREVIOUS", "sm:a::"+v1, "sm:a::AWSCURRENT", "sm:a::"+v2, "sm:a")
	checkCodes(t, res, map[string]protocol.Code{"sm:a::AWSPREVIOUS": protocol.Unavailable, "sm:a::" + v1: protocol.Unavailable},
		map[string][]string{"sm:a::AWSPREVIOUS": {"secret a", "AWSPREVIOUS"}, "sm:a::" + v1: {"secret a", v1}})
	checkValues(t, res, map[string]string{"sm:a::AWSCURRENT": "value of a v2", "sm:a::" + v2: "value of a v2", "sm:a": "value of a v2"})
}

// A JSON key that appears twice in a value matches two values: the id is
// AMBIGUOUS_DUPLICATE_KEY, never the first or the last of them.
func TestDuplicateJSONKey(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.fake.PutSecretString("dup", `{"k":"first k of dup","k":"second k of dup","other":"other of dup"}`)
	w.fake.PutParameter("/dup", fakeaws.TypeString, `{"k":"first k of /dup","k":"second k of /dup"}`)
	res := resolve(t, w.provider(nil), "sm:dup#k", "sm:dup#other", "ssm:/dup#k")
	checkCodes(t, res, map[string]protocol.Code{"sm:dup#k": protocol.AmbiguousDuplicateKey, "ssm:/dup#k": protocol.AmbiguousDuplicateKey},
		map[string][]string{"sm:dup#k": {"dup", `"k"`}, "ssm:/dup#k": {"/dup", `"k"`}})
	checkValues(t, res, map[string]string{"sm:dup#other": "other of dup"})
}
