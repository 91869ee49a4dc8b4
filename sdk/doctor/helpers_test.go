//go:build unix

package doctor

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/gatewayconfig"
	"github.com/execref/execref/sdk/host"
)

// binDir is a fresh 0755 directory of the test's own, as an operator
// would install resolvers in.
func binDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "bin")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// script writes an executable shell script. The resolver gets no PATH, so
// the interpreter is named by absolute path.
func script(t *testing.T, dir, name, body string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// answer is a resolver script that prints a fixed response.
func answer(t *testing.T, dir, name, response string) string {
	t.Helper()
	return script(t, dir, name, "/bin/cat >/dev/null\nprintf '%s' '"+response+"'\n")
}

func ref(path, provider, id string) gatewayconfig.Ref {
	return gatewayconfig.Ref{Path: path, Provider: provider, ID: id}
}

func config(providers map[string]host.Provider, refs ...gatewayconfig.Ref) *gatewayconfig.Config {
	return &gatewayconfig.Config{Path: "/test/openclaw.json", Providers: providers, Refs: refs}
}

// env is a gateway environment of exactly these variables.
func env(vars map[string]string) *gatewayconfig.Environment {
	src := map[string]string{}
	for k := range vars {
		src[k] = "process"
	}
	return &gatewayconfig.Environment{Vars: vars, Source: src}
}

func run(t *testing.T, cfg *gatewayconfig.Config, e *gatewayconfig.Environment) *Report {
	t.Helper()
	return Run(context.Background(), cfg, Options{Env: e})
}

// rendered is the report as text (coloured and not) and as JSON.
func rendered(t *testing.T, rep *Report) string {
	t.Helper()
	var b bytes.Buffer
	for _, color := range []bool{false, true} {
		if err := WriteText(&b, rep, color); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteJSON(&b, rep); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// noValue fails the test when any rendering of the report holds one of
// the values, raw or JSON-escaped.
func noValue(t *testing.T, rep *Report, values ...string) {
	t.Helper()
	out := rendered(t, rep)
	for _, v := range values {
		q, _ := json.Marshal(v)
		if strings.Contains(out, v) || strings.Contains(out, strings.Trim(string(q), `"`)) {
			t.Errorf("a value (%d chars) appears in the report:\n%s", len(v), out)
		}
	}
}

// findRef returns the report's ref at path.
func findRef(t *testing.T, rep *Report, path string) Ref {
	t.Helper()
	for _, r := range rep.Refs {
		if r.Path == path {
			return r
		}
	}
	t.Fatalf("no ref at %s in %+v", path, rep.Refs)
	return Ref{}
}

// finding returns the provider's findings of one check.
func finding(t *testing.T, rep *Report, provider, check string) []Finding {
	t.Helper()
	for _, p := range rep.Providers {
		if p.Name != provider {
			continue
		}
		var out []Finding
		for _, f := range p.Findings {
			if f.Check == check {
				out = append(out, f)
			}
		}
		return out
	}
	t.Fatalf("no provider %s in the report", provider)
	return nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
