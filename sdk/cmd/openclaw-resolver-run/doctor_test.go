package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/doctor"
	"github.com/execref/execref/sdk/sdktest"
)

func TestDoctorUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if status := run([]string{"doctor", "--help"}, &out, &errOut); status != doctorOK ||
		!strings.Contains(out.String(), "openclaw-resolver-run doctor [--config FILE] [--json] [--no-color]") ||
		!strings.Contains(out.String(), "--no-color") {
		t.Fatalf("--help: status %d, %q", status, out.String())
	}
	for _, args := range [][]string{{"--bogus"}, {"extra"}, {"--config"}} {
		out.Reset()
		errOut.Reset()
		status := run(append([]string{"doctor"}, args...), &out, &errOut)
		if status != doctorUsage || strings.Count(errOut.String(), "\n") != 1 || out.Len() != 0 {
			t.Errorf("%q: status %d stdout %q stderr %q, want one line on stderr", args, status, out.String(), errOut.String())
		}
	}
	out.Reset()
	errOut.Reset()
	missing := filepath.Join(t.TempDir(), "openclaw.json")
	if status := run([]string{"doctor", "--config", missing}, &out, &errOut); status != doctorNoConfig ||
		strings.Count(errOut.String(), "\n") != 1 || out.Len() != 0 {
		t.Errorf("missing config: status %d stdout %q stderr %q", status, out.String(), errOut.String())
	}
}

// Exit 0 only when every ref resolves; 1 when one does not. The report
// never holds a value, in either form, and has no colour off a terminal.
func TestDoctorExitStatus(t *testing.T) {
	const value = "Ex7-doctor-cli-value-2291"
	bin := sdktest.Install(t, sdktest.Cached(t, "../../examples/openclaw-jsonfile-resolver"),
		map[string][]byte{"secrets.json": []byte(`{"openai/apiKey":"` + value + `"}`)})
	dir := t.TempDir()
	write := func(name, id string) string {
		path := filepath.Join(dir, name+".json")
		cfg := `{
  // JSON5, as the gateway reads it
  secrets: { providers: { files: { source: "exec", command: "` + bin + `" } } },
  skills: { entries: { one: { apiKey: { source: "exec", provider: "files", id: "` + id + `" } } } },
}`
		if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	t.Setenv("NO_COLOR", "")
	good, bad := write("good", "openai/apiKey"), write("bad", "missing/key")

	var out, errOut bytes.Buffer
	if status := run([]string{"doctor", "--config", good}, &out, &errOut); status != doctorOK {
		t.Fatalf("good config: status %d\n%s\nstderr %q", status, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "•••••• (25 chars)") || strings.Contains(out.String(), "\x1b[") {
		t.Errorf("text report:\n%s", out.String())
	}
	text := out.String()

	out.Reset()
	if status := run([]string{"doctor", "--config", bad, "--json"}, &out, &errOut); status != doctorFailed {
		t.Fatalf("bad config: status %d\n%s\nstderr %q", status, out.String(), errOut.String())
	}
	var rep doctor.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil || rep.OK || len(rep.Refs) != 1 ||
		rep.Refs[0].Path != "skills.entries.one.apiKey" || rep.Refs[0].Code != "SECRET_REF_NOT_FOUND" {
		t.Fatalf("--json: %v\n%s", err, out.String())
	}
	if strings.Contains(text+out.String()+errOut.String(), value) {
		t.Error("the value is in doctor's output")
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr is no terminal, yet: %q", errOut.String())
	}
}
