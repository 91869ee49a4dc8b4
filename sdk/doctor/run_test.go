//go:build unix

package doctor

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/gatewayconfig"
	"github.com/execref/execref/sdk/host"
)

// Distinctive values: if one appears in a report, it leaked.
const (
	valueA = "Zq7-value-of-a-93kf"
	valueC = "Wm2-value-of-c-71xp"
)

// Each provider runs once for all its refs, ids de-duplicated; an ok ref
// shows its length only, a failed one the gateway's code and sentence,
// the resolver's own words (scrubbed of every value) and a fix.
func TestRunResolvesOnceAndMasks(t *testing.T) {
	dir := binDir(t)
	count := filepath.Join(dir, "runs")
	cmd := script(t, dir, "r", `/bin/cat > "$(/usr/bin/dirname "$0")/request"
echo run >> runs
printf '%s' '{"protocolVersion":1,"values":{"a":"`+valueA+`","c":"`+valueC+`"},"errors":{"b":{"code":"NOT_FOUND","message":"no b; a is `+valueA+`"}}}'
`)
	cfg := config(map[string]host.Provider{"store": {Command: cmd}},
		ref("models.providers.openai.apiKey", "store", "a"),
		ref("skills.entries.x.apiKey", "store", "b"),
		ref("skills.entries.y.apiKey", "store", " a "),
		ref("skills.entries.z.apiKey", "store", "c"))
	rep := run(t, cfg, nil)

	runs, err := os.ReadFile(count)
	if err != nil || string(runs) != "run\n" {
		t.Fatalf("the provider ran %q times (%v), want once", runs, err)
	}
	req, _ := os.ReadFile(filepath.Join(dir, "request"))
	if string(req) != `{"protocolVersion":1,"provider":"store","ids":["a","b","c"]}` {
		t.Errorf("request %s", req)
	}
	for _, path := range []string{"models.providers.openai.apiKey", "skills.entries.y.apiKey"} {
		if r := findRef(t, rep, path); r.Status != StatusOK || r.Length != len(valueA) {
			t.Errorf("%s: %+v", path, r)
		}
	}
	b := findRef(t, rep, "skills.entries.x.apiKey")
	if b.Status != StatusFail || b.Code != host.CodeRefNotFound ||
		b.Gateway != `Exec provider "store" failed for id "b" (NOT_FOUND).` ||
		!strings.Contains(b.Reason, "The resolver said NOT_FOUND: no b; a is [REDACTED]") || b.Fix == "" {
		t.Errorf("b: %+v", b)
	}
	if rep.OK || rep.Summary != (Summary{Refs: 4, OK: 3, Failed: 1, Warnings: 0, Failures: 0}) {
		t.Errorf("summary %+v ok %v", rep.Summary, rep.OK)
	}
	noValue(t, rep, valueA, valueC)
}

// A provider that outlives timeoutMs fails all its refs with the
// gateway's sentence, and the fix names the setting.
func TestProviderTimeout(t *testing.T) {
	dir := binDir(t)
	slow := script(t, dir, "slow", "/bin/sleep 5\n")
	cfg := config(map[string]host.Provider{"slow": {Command: slow, TimeoutMs: 300}},
		ref("p1", "slow", "x"), ref("p2", "slow", "y"))
	rep := run(t, cfg, nil)
	for _, path := range []string{"p1", "p2"} {
		r := findRef(t, rep, path)
		if r.Status != StatusFail || r.Code != host.CodeProviderUnavailable ||
			r.Gateway != `Exec provider "slow" timed out after 300ms.` || !strings.Contains(r.Fix, "timeoutMs") {
			t.Errorf("%s: %+v", path, r)
		}
	}
}

// No more providers run at once than the gateway's limit (the config's
// when lower): each run leaves a mark while it runs and counts the others'.
func TestProviderConcurrency(t *testing.T) {
	dir := binDir(t)
	marks := filepath.Join(dir, "running")
	if err := os.Mkdir(marks, 0o700); err != nil {
		t.Fatal(err)
	}
	body := `: > running/$$
/bin/ls running | /usr/bin/wc -l >> seen
/bin/sleep 0.2
/bin/rm running/$$
printf '{"protocolVersion":1,"values":{"x":"value-x"}}'
`
	providers := map[string]host.Provider{}
	var refs []gatewayconfig.Ref
	for _, name := range []string{"p1", "p2", "p3", "p4", "p5", "p6"} {
		providers[name] = host.Provider{Command: script(t, dir, name, body)}
		refs = append(refs, ref("at."+name, name, "x"))
	}
	cfg := config(providers, refs...)
	cfg.Resolution.MaxProviderConcurrency = 2
	rep := run(t, cfg, nil)
	if !rep.OK {
		t.Fatalf("%+v", rep.Refs)
	}
	seen, err := os.ReadFile(filepath.Join(dir, "seen"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Fields(string(seen))
	if len(lines) != 6 {
		t.Fatalf("%d runs, want 6", len(lines))
	}
	for _, n := range lines {
		if n != "1" && n != "2" {
			t.Fatalf("%s providers ran at once, the limit is 2 (%q)", n, lines)
		}
	}
}

// A ref to a provider that does not exist fails with the gateway's
// sentence and code, and the config finding lists the providers that do.
func TestUnknownProvider(t *testing.T) {
	dir := binDir(t)
	good := answer(t, dir, "good", `{"protocolVersion":1,"values":{"a":"value-a-1234"}}`)
	cfg := config(map[string]host.Provider{"good": {Command: good}},
		ref("one", "good", "a"), ref("two", "nope", "c"), ref("three", "nope", "d"))
	cfg.Other = map[string]string{"files": "file"}
	cfg.Refs = append(cfg.Refs, ref("four", "files", "e"))
	rep := run(t, cfg, nil)

	two := findRef(t, rep, "two")
	if two.Status != StatusFail || two.Code != "SECRET_PROVIDER_NOT_CONFIGURED" ||
		two.Gateway != `Secret provider "nope" is not configured (ref: exec:nope:c).` ||
		!strings.Contains(two.Fix, "configured: good") {
		t.Errorf("two: %+v", two)
	}
	// The gateway fails the group with one error, naming its first id.
	if three := findRef(t, rep, "three"); three.Gateway != `Secret provider "nope" is not configured (ref: exec:nope:c).` {
		t.Errorf("three: %+v", three)
	}
	if four := findRef(t, rep, "four"); four.Gateway != `Secret provider "files" has source "file" but ref requests "exec".` {
		t.Errorf("four: %+v", four)
	}
	if one := findRef(t, rep, "one"); one.Status != StatusOK {
		t.Errorf("one: %+v", one)
	}
	var refsFinding *Finding
	for i, f := range rep.Findings {
		if f.Check == CheckRefs {
			refsFinding = &rep.Findings[i]
		}
	}
	if refsFinding == nil || refsFinding.Status != StatusFail ||
		!strings.Contains(refsFinding.Detail, `"nope" is not configured (2 refs)`) ||
		!strings.Contains(refsFinding.Detail, `"files" has source "file", not "exec" (1 ref)`) {
		t.Errorf("config findings %+v", rep.Findings)
	}
	if rep.OK || rep.Summary.Failed != 3 {
		t.Errorf("summary %+v", rep.Summary)
	}
}

// A provider block the gateway's schema refuses, or any other problem
// with the config, makes the gateway refuse the whole config: the block is
// reported and not run, and the report fails even where refs of other
// providers resolve.
func TestConfigInvalid(t *testing.T) {
	dir := binDir(t)
	good := answer(t, dir, "good", `{"protocolVersion":1,"values":{"a":"value-a-1234"}}`)
	cfg := config(map[string]host.Provider{"good": {Command: good}},
		ref("one", "bad", "a"), ref("two", "good", "a"), ref("three", "good", "a b"))
	cfg.Refs[2].Err = errors.New(`three: id "a b" must match the grammar`)
	cfg.Invalid = map[string]error{"bad": errors.New(`secrets.providers.bad: unknown key "allowSymlinkCommand"`)}
	cfg.Issues = []error{errors.New("secrets.resolution: openclaw 2026.9 refuses this section")}
	rep := run(t, cfg, nil)

	if f := finding(t, rep, "bad", CheckConfig); len(f) != 1 || f[0].Status != StatusFail || !strings.Contains(f[0].Detail, "allowSymlinkCommand") {
		t.Errorf("provider finding %+v", f)
	}
	if p := rep.Providers[0]; p.Name != "bad" || p.Ran {
		t.Errorf("the invalid block: %+v", p)
	}
	if one := findRef(t, rep, "one"); one.Status != StatusFail || one.Code != host.CodeProviderInvalid {
		t.Errorf("one: %+v", one)
	}
	// The invalid ref does not spoil its provider's run.
	if two := findRef(t, rep, "two"); two.Status != StatusOK {
		t.Errorf("two: %+v", two)
	}
	if three := findRef(t, rep, "three"); three.Status != StatusFail || three.Code != host.CodeRefInvalid || !strings.Contains(three.Reason, `"a b"`) {
		t.Errorf("three: %+v", three)
	}
	if len(rep.Findings) == 0 || rep.Findings[0].Status != StatusFail ||
		!strings.Contains(rep.Findings[0].Detail, "(3 problems)") ||
		!strings.Contains(rep.Findings[0].Detail, "secrets.resolution: openclaw 2026.9 refuses") {
		t.Errorf("config findings %+v", rep.Findings)
	}
	if rep.OK {
		t.Error("an invalid config passed")
	}
}

// A provider a plugin publishes is not run: its refs are reported as not
// checked, which does not fail the report.
func TestPluginProvider(t *testing.T) {
	cfg := config(nil, ref("one", "onepassword", "op://vault/item/field"))
	cfg.Plugins = map[string]gatewayconfig.PluginIntegration{"onepassword": {PluginID: "onepassword", IntegrationID: "op"}}
	rep := run(t, cfg, nil)
	if one := findRef(t, rep, "one"); one.Status != StatusWarn || !strings.Contains(one.Reason, `plugin "onepassword"`) {
		t.Errorf("one: %+v", one)
	}
	if f := finding(t, rep, "onepassword", CheckPlugin); len(f) != 1 || f[0].Status != StatusWarn {
		t.Errorf("findings %+v", f)
	}
	if !rep.OK || rep.Summary.Unchecked != 1 || len(rep.Findings) != 0 {
		t.Errorf("ok %v, summary %+v, findings %+v", rep.OK, rep.Summary, rep.Findings)
	}
}
