package gatewayconfig

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeFiles creates files (path relative to dir: content) and returns dir.
func writeFiles(t *testing.T, dir string, files map[string]string) string {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestIncludeMerges(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"openclaw.json": `{
			$include: "./base.json5",
			secrets: {providers: {$include: ["./providers/a.json5", "./providers/b.json5"], local: {source: "exec", command: "/local"}}},
			list: {$include: "./list.json5", extra: [3]},
		}`,
		"base.json5":        `{gateway: {mode: "local"}, list: {items: [1]}, secrets: {defaults: {exec: "a"}}, constructor: {polluted: true}}`,
		"providers/a.json5": `{a: {source: "exec", command: "/a", args: ["x"]}, shared: {source: "exec", command: "/from-a"}}`,
		"providers/b.json5": `{$include: "./c.json5", shared: {source: "exec", command: "/from-b"}}`,
		"providers/c.json5": `{c: {source: "exec", command: "/c"}}`,
		"list.json5":        `{items: [2], extra: [1, 2]}`,
		"providers/x.json5": `{unused: true}`,
	})
	cfg, err := Load(filepath.Join(dir, "openclaw.json"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for name, p := range cfg.Providers {
		got[name] = p.Command
	}
	want := map[string]string{"a": "/a", "c": "/c", "shared": "/from-b", "local": "/local"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("providers %v, want %v (later includes and sibling keys win)", got, want)
	}
	tree := plain(cfg.source).(map[string]any)
	// list.json5 with its sibling (arrays concatenated), then merged over
	// base.json5's list (concatenated again).
	if list := tree["list"]; !reflect.DeepEqual(list, map[string]any{"items": []any{1.0, 2.0}, "extra": []any{1.0, 2.0, 3.0}}) {
		t.Errorf("list = %v", list)
	}
	wantFiles := []string{"base.json5", "providers/a.json5", "providers/b.json5", "providers/c.json5", "list.json5"}
	for i := range wantFiles {
		wantFiles[i] = filepath.Join(dir, wantFiles[i])
	}
	if !reflect.DeepEqual(cfg.Includes, wantFiles) {
		t.Errorf("Includes = %v, want %v", cfg.Includes, wantFiles)
	}
	if _, polluted := tree["constructor"]; polluted {
		t.Errorf("a prototype key survived a merge: %v", tree["constructor"])
	}
}

func TestIncludeRefused(t *testing.T) {
	deep := map[string]string{"openclaw.json": `{$include: "./d0.json5"}`}
	for i := 0; i < 11; i++ {
		deep[fmt.Sprintf("d%d.json5", i)] = fmt.Sprintf(`{$include: "./d%d.json5"}`, i+1)
	}
	deep["d11.json5"] = `{}`
	for _, c := range []struct {
		name  string
		files map[string]string
		setup func(t *testing.T, dir string)
		want  string
	}{
		{"outside", map[string]string{"cfg/openclaw.json": `{$include: "../outside.json5"}`, "outside.json5": `{}`}, nil, "Include path escapes config directory: ../outside.json5"},
		{"absolute outside", map[string]string{"cfg/openclaw.json": `{$include: "/etc/hostname"}`}, nil, "Include path escapes config directory: /etc/hostname"},
		{"symlink out", map[string]string{"cfg/openclaw.json": `{$include: "./link.json5"}`, "outside.json5": `{}`}, func(t *testing.T, dir string) {
			if err := os.Symlink(filepath.Join(dir, "outside.json5"), filepath.Join(dir, "cfg", "link.json5")); err != nil {
				t.Fatal(err)
			}
		}, "Include path resolves outside config directory (symlink): ./link.json5"},
		{"hard link", map[string]string{"cfg/openclaw.json": `{$include: "./a.json5"}`, "cfg/a.json5": `{}`}, func(t *testing.T, dir string) {
			if err := os.Link(filepath.Join(dir, "cfg", "a.json5"), filepath.Join(dir, "cfg", "b.json5")); err != nil {
				t.Fatal(err)
			}
		}, "Include file failed security checks (regular file, max 2097152 bytes, no hardlinks): ./a.json5"},
		{"missing", map[string]string{"cfg/openclaw.json": `{$include: "./none.json5"}`}, nil, "Failed to read include file: ./none.json5"},
		{"cycle", map[string]string{"cfg/openclaw.json": `{$include: "./a.json5"}`, "cfg/a.json5": `{$include: "./b.json5"}`, "cfg/b.json5": `{$include: "./a.json5"}`}, nil, "Circular include detected: "},
		{"too deep", prefixed("cfg/", deep), nil, "Maximum include depth (10) exceeded at: ./d10.json5"},
		{"not a string", map[string]string{"cfg/openclaw.json": `{$include: 5}`}, nil, "Invalid $include value: expected string or array of strings, got number"},
		{"array item", map[string]string{"cfg/openclaw.json": `{$include: ["./a.json5", null]}`, "cfg/a.json5": `{}`}, nil, "Invalid $include array item: expected string, got object"},
		{"siblings over an array", map[string]string{"cfg/openclaw.json": `{x: {$include: "./a.json5", y: 1}}`, "cfg/a.json5": `[1]`}, nil, "./a.json5: Sibling keys require included content to be an object"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := writeFiles(t, t.TempDir(), c.files)
			if c.setup != nil {
				c.setup(t, dir)
			}
			_, err := Load(filepath.Join(dir, "cfg", "openclaw.json"))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Load: %v\nwant ErrInvalid containing %q", err, c.want)
			}
		})
	}
}

func prefixed(prefix string, files map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range files {
		out[prefix+k] = v
	}
	return out
}

func TestIncludeSyntaxErrorAndRoots(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"cfg/openclaw.json":      `{$include: "../shared/providers.json5"}`,
		"shared/providers.json5": `{secrets: {providers: {x: {source: "exec", command: "/x"}}}}`,
		"cfg/bad.json":           `{$include: "./broken.json5"}`,
		"cfg/broken.json5":       `{a: }`,
	})
	_, err := Load(filepath.Join(dir, "cfg", "bad.json"))
	if !errors.Is(err, ErrInvalid) || !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), "Failed to parse include file: ./broken.json5") {
		t.Errorf("broken include: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "cfg", "openclaw.json")); !errors.Is(err, ErrInvalid) {
		t.Errorf("include outside the roots: %v, want ErrInvalid", err)
	}
	t.Setenv("OPENCLAW_INCLUDE_ROOTS", "/nonexistent"+string(filepath.ListSeparator)+filepath.Join(dir, "shared"))
	cfg, err := Load(filepath.Join(dir, "cfg", "openclaw.json"))
	if err != nil || cfg.Providers["x"].Command != "/x" {
		t.Errorf("with OPENCLAW_INCLUDE_ROOTS: %+v, %v", cfg, err)
	}
}
