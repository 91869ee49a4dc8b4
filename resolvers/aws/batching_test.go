package aws_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/resolvers/aws/internal/fakeaws"
)

// bulk seeds a batch of the gateway's maximum size: 512 ids, of which 300
// are Secrets Manager ids over 250 secrets (200 asked whole, 50 JSON
// secrets asked for two keys each) and 212 are SSM ids over 201
// parameters (190 asked whole, 11 JSON ones asked for two keys each, one
// of them twice by key). It returns the ids, their values, and the
// distinct secret and parameter names.
func bulk(f *fakeaws.Server) (ids []string, want map[string]string, secrets, params []string) {
	want = map[string]string{}
	for i := range 200 {
		name := fmt.Sprintf("bulk/s%03d", i)
		v := fmt.Sprintf("sm-value-%03d-%s", i, strings.Repeat("x", i%17))
		f.PutSecretString(name, v)
		want["sm:"+name] = v
		secrets = append(secrets, name)
	}
	for i := range 50 {
		name := fmt.Sprintf("bulk/json%02d", i)
		doc, _ := json.Marshal(map[string]string{"user": fmt.Sprintf("user-%02d", i), "pass": fmt.Sprintf("pass-%02d", i), "unused": "u"})
		f.PutSecretString(name, string(doc))
		want["sm:"+name+"#user"] = fmt.Sprintf("user-%02d", i)
		want["sm:"+name+"#pass"] = fmt.Sprintf("pass-%02d", i)
		secrets = append(secrets, name)
	}
	for i := range 190 {
		name := fmt.Sprintf("/bulk/p%03d", i)
		typ := []string{fakeaws.TypeString, fakeaws.TypeSecureString}[i%2]
		v := fmt.Sprintf("ssm-value-%03d", i)
		f.PutParameter(name, typ, v)
		want["ssm:"+name] = v
		params = append(params, name)
	}
	for i := range 11 {
		name := fmt.Sprintf("/bulk/json%02d", i)
		doc, _ := json.Marshal(map[string]string{"a": fmt.Sprintf("a-%02d", i), "b": fmt.Sprintf("b-%02d", i)})
		f.PutParameter(name, fakeaws.TypeSecureString, string(doc))
		want["ssm:"+name+"#a"] = fmt.Sprintf("a-%02d", i)
		want["ssm:"+name+"#b"] = fmt.Sprintf("b-%02d", i)
		params = append(params, name)
	}
	for id := range want {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids, want, secrets, params
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// 512 ids cost at most ceil(250/20) BatchGetSecretValue calls and
// ceil(201/10) GetParameters calls, each secret and parameter asked once
// however many of its keys are wanted, and nothing else.
func TestBatching(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids, want, secrets, params := bulk(w.fake)
	if len(ids) != 512 || len(secrets) != 250 || len(params) != 201 {
		t.Fatalf("bulk: %d ids, %d secrets, %d parameters", len(ids), len(secrets), len(params))
	}
	p := w.provider(nil)
	res := resolve(t, p, ids...)
	checkValues(t, res, want)

	batches := w.fake.CallIDs(fakeaws.OpBatchGetSecretValue)
	gets := w.fake.CallIDs(fakeaws.OpGetParameters)
	if max := ceilDiv(len(secrets), fakeaws.MaxBatchGetSecretValueIDs); len(batches) > max {
		t.Errorf("%d BatchGetSecretValue calls for %d secrets, want at most %d", len(batches), len(secrets), max)
	}
	if max := ceilDiv(len(params), fakeaws.MaxGetParametersNames); len(gets) > max {
		t.Errorf("%d GetParameters calls for %d parameters, want at most %d", len(gets), len(params), max)
	}
	for _, op := range []string{fakeaws.OpGetSecretValue, fakeaws.OpGetParameter, fakeaws.OpAssumeRole} {
		if n := w.fake.Calls(op); n != 0 {
			t.Errorf("%d %s calls", n, op)
		}
	}
	askedOnce := func(what string, calls [][]string, names []string) {
		t.Helper()
		var asked []string
		for _, c := range calls {
			asked = append(asked, c...)
		}
		sort.Strings(asked)
		if !slices.Equal(asked, slices.Sorted(slices.Values(names))) {
			t.Errorf("%s asked %d times in all for %d distinct names (each must be asked exactly once)", what, len(asked), len(names))
		}
	}
	askedOnce("secrets", batches, secrets)
	askedOnce("parameters", gets, params)
}

// --concurrency bounds the calls in flight; without it the calls still
// overlap.
func TestConcurrency(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	_, want, _, _ := bulk(w.fake)
	// 100 whole secrets (5 BatchGetSecretValue calls) and 60 parameters
	// (6 GetParameters calls).
	var ids []string
	for i := range 100 {
		ids = append(ids, fmt.Sprintf("sm:bulk/s%03d", i))
	}
	for i := range 60 {
		ids = append(ids, fmt.Sprintf("ssm:/bulk/p%03d", i))
	}
	w.fake.SetLatency(150 * time.Millisecond)
	for _, n := range []int{1, 3} {
		w.fake.Reset()
		res := resolve(t, w.provider(nil, "--concurrency", fmt.Sprint(n)), ids...)
		for _, id := range ids {
			if res[id].Err != nil || res[id].Value != want[id] {
				t.Fatalf("--concurrency %d: %s: %v", n, id, res[id].Err)
			}
		}
		if peak := w.fake.MaxInFlight(); peak > n || peak < 1 {
			t.Errorf("--concurrency %d: %d calls in flight at once", n, peak)
		}
		if n > 1 && w.fake.MaxInFlight() < 2 {
			t.Errorf("--concurrency %d: calls never overlapped", n)
		}
	}
}

// --verbose prints diagnostics, never a value, whatever happens to the
// ids.
func TestVerboseNeverPrintsValues(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	s := seed(w.fake)
	failing(w.fake)
	ids := []string{"sm:prod/openai", "sm:prod/openai#apiKey", "sm:prod/openai#nested", "sm:prod/openai#nope", "sm:plain/token#k",
		"sm:unicode", "sm:tls/pem", "smb:bin/key", "sm:bin/key", "sm:prod/openai::AWSPREVIOUS", "ssm:/prod/openai/apiKey",
		"ssm:/prod/json#obj", "ssm:/prod/db/url#x", "sm:gone", "sm:denied#k", "sm:kms", "ssm:/kms", "ssm:/denied", "bad"}
	o := exec(t, w.provider(nil), append(s.secrets, failingValues...), ids...)
	if o.run.ExitCode != 0 {
		t.Fatalf("exit %d: %s", o.run.ExitCode, o.run.Stderr)
	}
	if len(o.run.Stderr) == 0 {
		t.Error("--verbose printed nothing: the check above proves nothing")
	}
	// Nor in an error message.
	for id, r := range o.resp {
		if r.Err == nil {
			continue
		}
		noSecrets(t, id+": "+r.Err.Error(), append(s.secrets, failingValues...))
	}
}
