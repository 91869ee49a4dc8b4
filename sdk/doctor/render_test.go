//go:build unix

package doctor

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/host"
)

func sampleReport(t *testing.T) *Report {
	t.Helper()
	dir := binDir(t)
	cmd := answer(t, dir, "r", `{"protocolVersion":1,"values":{"a":"Vx8-sample-value-a"},"errors":{"b":{"code":"NOT_FOUND"}}}`)
	cfg := config(map[string]host.Provider{"store": {Command: cmd, PassEnv: []string{"UNSET_VAR"}}},
		ref("models.providers.openai.apiKey", "store", "a"), ref("skills.entries.x.apiKey", "store", "b"))
	return run(t, cfg, nil)
}

// --json is one object with these members, and these per ref: a contract
// for machines.
func TestJSONShape(t *testing.T) {
	rep := sampleReport(t)
	var b bytes.Buffer
	if err := WriteJSON(&b, rep); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if got, want := keysOf(doc), []string{"config", "findings", "ok", "providers", "refs", "summary"}; !reflect.DeepEqual(got, want) {
		t.Errorf("members %v, want %v", got, want)
	}
	if doc["ok"] != false || doc["config"] != "/test/openclaw.json" {
		t.Errorf("ok %v config %v", doc["ok"], doc["config"])
	}
	refs := doc["refs"].([]any)
	okRef, failRef := refs[0].(map[string]any), refs[1].(map[string]any)
	if got, want := keysOf(okRef), []string{"id", "length", "path", "provider", "status"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ok ref members %v, want %v", got, want)
	}
	if got, want := keysOf(failRef), []string{"code", "fix", "gateway", "id", "path", "provider", "reason", "status"}; !reflect.DeepEqual(got, want) {
		t.Errorf("failed ref members %v, want %v", got, want)
	}
	if okRef["length"] != float64(len("Vx8-sample-value-a")) || failRef["code"] != host.CodeRefNotFound || failRef["status"] != "fail" {
		t.Errorf("refs %v", refs)
	}
	p := doc["providers"].([]any)[0].(map[string]any)
	if got, want := keysOf(p), []string{"command", "findings", "name", "ran", "refs"}; !reflect.DeepEqual(got, want) {
		t.Errorf("provider members %v, want %v", got, want)
	}
	f := p["findings"].([]any)[0].(map[string]any)
	if _, ok := f["check"]; !ok || f["status"] == nil || f["detail"] == nil {
		t.Errorf("finding %v", f)
	}
	s := doc["summary"].(map[string]any)
	if s["refs"] != 2.0 || s["ok"] != 1.0 || s["failed"] != 1.0 || s["warnings"] != 1.0 {
		t.Errorf("summary %v", s)
	}
	noValue(t, rep, "Vx8-sample-value-a")
}

func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// The text report aligns its columns, masks values, and colours statuses
// only when asked.
func TestText(t *testing.T) {
	rep := sampleReport(t)
	var plain, colored bytes.Buffer
	if err := WriteText(&plain, rep, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteText(&colored, rep, true); err != nil {
		t.Fatal(err)
	}
	out := plain.String()
	if strings.Contains(out, "\x1b[") || !strings.Contains(colored.String(), "\x1b[1;31mfail") {
		t.Error("colour when not asked, or none when asked")
	}
	for _, re := range []string{
		`(?m)^  ok    models\.providers\.openai\.apiKey  store:a  •••••• \(18 chars\)$`,
		`(?m)^  fail  skills\.entries\.x\.apiKey         store:b  SECRET_REF_NOT_FOUND$`,
		`(?m)^        Exec provider "store" failed for id "b" \(NOT_FOUND\)\. The resolver said NOT_FOUND$`,
		`(?m)^  warn  passEnv      UNSET_VAR is not set`,
		`(?m)^FAIL  2 refs: 1 ok, 1 failed; 1 warning$`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("no match for %s in\n%s", re, out)
		}
	}
}

// Progress says which provider runs and how it ended, one line each.
func TestLineProgress(t *testing.T) {
	var b bytes.Buffer
	dir := binDir(t)
	cmd := answer(t, dir, "r", `{"protocolVersion":1,"values":{"a":"Pg5-progress-value"}}`)
	cfg := config(map[string]host.Provider{"store": {Command: cmd}}, ref("p", "store", "a"))
	Run(context.Background(), cfg, Options{Progress: NewLineProgress(&b)})
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2 || lines[0] != "… store: checking and resolving 1 id" ||
		!regexp.MustCompile(`^  store: 1 ok, 0 failed \([0-9.]+m?s\)$`).MatchString(lines[1]) {
		t.Errorf("progress %q", lines)
	}
}
