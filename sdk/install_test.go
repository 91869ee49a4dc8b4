package sdk

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// templateBackend suggests its block and name, and has a command named
// like the built-in install, which must never run.
type templateBackend struct{ backendFunc }

func (*templateBackend) ProviderTemplate() ([]string, []string, string) {
	return []string{"--mode", "x"}, []string{"X_TOKEN"}, "a note"
}
func (*templateBackend) ProviderName() string { return "my-x" }
func (*templateBackend) Commands() map[string]Command {
	return map[string]Command{"install": {Run: func([]string, io.Writer) error {
		panic("a built-in's name reached the backend's command")
	}}}
}

func TestInstallUsesTheBackendsTemplate(t *testing.T) {
	p := Program{Name: "openclaw-x-resolver", Summary: "x", Backend: &templateBackend{}}
	dir := filepath.Join(t.TempDir(), "bin")
	var out, errb bytes.Buffer
	if st := Serve(p, []string{"install", "--dir", dir}, strings.NewReader(""), &out, &errb); st != ExitOK {
		t.Fatalf("status %d: %s", st, errb.String())
	}
	for _, want := range []string{"// a note\n", `"my-x": {`, `args: ["--mode", "x"]`, `passEnv: ["X_TOKEN"]`,
		`command: "` + filepath.Join(dir, "openclaw-x-resolver") + `"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, "openclaw-x-resolver")); err != nil || fi.Mode().Perm() != 0o755 {
		t.Fatalf("%v %v", fi, err)
	}
	out.Reset()
	errb.Reset()
	if st := Serve(p, []string{"config", "--dir", dir, "extra"}, strings.NewReader(""), &out, &errb); st != ExitUsage || out.Len() != 0 || !strings.Contains(errb.String(), "takes no arguments") {
		t.Fatalf("status %d, stdout %q, stderr %q", st, out.String(), errb.String())
	}
	out.Reset()
	if Serve(p, []string{"help"}, nil, &out, io.Discard); !strings.Contains(out.String(), "openclaw-x-resolver install [--dir DIR] [--name NAME]") {
		t.Fatalf("help does not list install:\n%s", out.String())
	}
}
