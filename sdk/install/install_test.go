package install_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/execref/execref/sdk/gatewayconfig"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/install"
	"github.com/execref/execref/sdk/policy"
	"github.com/execref/execref/sdk/sdktest"
)

const example = "../examples/openclaw-jsonfile-resolver"

// resolver is the example resolver as a package would install it.
func resolver(t *testing.T) string {
	t.Helper()
	return sdktest.Install(t, sdktest.Cached(t, example), nil)
}

// run runs the resolver with args and an environment whose state dir is
// state, and returns stdout, stderr and the exit status.
func run(t *testing.T, bin, state string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"HOME=" + t.TempDir(), "OPENCLAW_STATE_DIR=" + state, "PATH=" + os.Getenv("PATH")}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return out.String(), errb.String(), cmd.ProcessState.ExitCode()
}

// provider parses the printed block as the gateway's schema does.
func provider(t *testing.T, out, name string) host.Provider {
	t.Helper()
	root, err := gatewayconfig.ParseJSON5([]byte("{secrets: {providers: {\n" + out + "\n}}}"))
	if err != nil {
		t.Fatalf("the printed block does not parse: %v\n%s", err, out)
	}
	cfg, err := gatewayconfig.Decode("printed", root)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := cfg.Providers[name]
	if !ok || len(cfg.Invalid)+len(cfg.Issues) > 0 {
		t.Fatalf("no valid provider %q in the printed block: %v %v\n%s", name, cfg.Invalid, cfg.Issues, out)
	}
	return p
}

func TestInstallCopiesVerifiesAndPrintsAWorkingBlock(t *testing.T) {
	bin := resolver(t)
	dir, state := filepath.Join(t.TempDir(), "new", "bin"), t.TempDir()
	out, stderr, code := run(t, bin, state, "install", "--dir", dir)
	if code != 0 {
		t.Fatalf("install: exit %d: %s", code, stderr)
	}
	copyPath := filepath.Join(dir, "openclaw-jsonfile-resolver")
	assertSafeCopy(t, bin, copyPath)
	if !strings.Contains(out, "Paste under secrets.providers") || !strings.Contains(out, "again after an upgrade replaces the copy") {
		t.Fatalf("no instructions in:\n%s", out)
	}

	p := provider(t, out, "jsonfile")
	if p.Command != copyPath {
		t.Fatalf("command %q, want %q", p.Command, copyPath)
	}
	if err := os.WriteFile(filepath.Join(dir, "secrets.json"), []byte(`{"k":"v4lue"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := (&host.Runner{}).Resolve(context.Background(), "jsonfile", p, []string{"k"})
	if err != nil || res["k"].Err != nil || res["k"].Value != "v4lue" {
		t.Fatalf("resolving through the printed block: %v %+v", err, res)
	}

	// config prints the same block for the existing copy.
	cfgOut, stderr, code := run(t, bin, state, "config", "--dir", dir)
	if code != 0 || cfgOut != out {
		t.Fatalf("config: exit %d %s\n%s\nwant\n%s", code, stderr, cfgOut, out)
	}
}

func assertSafeCopy(t *testing.T, src, path string) {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o755 {
		t.Fatalf("copy: %v %v", fi, err)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
		t.Fatalf("copy owned by %d", st.Uid)
	}
	di, err := os.Lstat(filepath.Dir(path))
	if err != nil || !di.IsDir() || di.Mode().Perm() != 0o700 {
		t.Fatalf("dir: %v %v", di, err)
	}
	a, _ := os.ReadFile(src)
	b, _ := os.ReadFile(path)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Fatalf("copy differs from the source (%d vs %d bytes)", len(b), len(a))
	}
	if err := policy.CheckCommand("jsonfile", path, nil); err != nil {
		t.Fatal(err)
	}
}

func TestReinstallReplacesTheCopy(t *testing.T) {
	bin := resolver(t)
	dir := filepath.Join(t.TempDir(), "bin")
	if _, stderr, code := run(t, bin, t.TempDir(), "install", "--dir", dir); code != 0 {
		t.Fatal(stderr)
	}
	copyPath := filepath.Join(dir, "openclaw-jsonfile-resolver")
	old, _ := os.Stat(copyPath)
	// An "old version" in place: the reinstall must swap in a new inode
	// (rename, not rewrite in place) with the running binary's bytes.
	if err := os.WriteFile(copyPath, []byte("#!/bin/sh\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := run(t, bin, t.TempDir(), "--timeout", "3s", "install", "--dir", dir, "--name", "mine")
	if code != 0 {
		t.Fatal(stderr)
	}
	assertSafeCopy(t, bin, copyPath)
	now, _ := os.Stat(copyPath)
	if os.SameFile(old, now) {
		t.Fatal("the copy was rewritten in place, not replaced")
	}
	if p := provider(t, out, "mine"); p.Command != copyPath {
		t.Fatalf("command %q", p.Command)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("left behind in %s: %v", dir, entries)
	}
}

func TestUnsafeDirectoriesAreRefused(t *testing.T) {
	bin := resolver(t)
	real := filepath.Join(t.TempDir(), "real")
	if err := os.Mkdir(real, 0o700); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	open := filepath.Join(t.TempDir(), "open")
	if err := os.Mkdir(open, 0o700); err != nil || os.Chmod(open, 0o775) != nil {
		t.Fatal(err)
	}
	for dir, want := range map[string]string{
		link: "is a symlink (to " + real + "): pass --dir the real directory",
		open: "has mode 0775: others could replace the binary; run `chmod go-w " + open + "`",
	} {
		out, stderr, code := run(t, bin, t.TempDir(), "install", "--dir", dir)
		if code != 78 || out != "" || !strings.Contains(stderr, want) {
			t.Errorf("install --dir %s: exit %d, stdout %q, stderr %q; want 78 and %q", dir, code, out, stderr, want)
		}
	}
	for _, dir := range []string{real, open} {
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("something was written in refused %s: %v", dir, entries)
		}
	}
}

func TestConfigWithoutACopyFails(t *testing.T) {
	bin := resolver(t)
	dir := t.TempDir()
	out, stderr, code := run(t, bin, t.TempDir(), "config", "--dir", dir)
	if code != 78 || out != "" || !strings.Contains(stderr, "run install first") || !strings.Contains(stderr, filepath.Join(dir, "openclaw-jsonfile-resolver")) {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	missing := filepath.Join(dir, "missing")
	if out, stderr, code = run(t, bin, t.TempDir(), "config", "--dir", missing); code != 78 || out != "" || !strings.Contains(stderr, missing+" does not exist (run install first)") {
		t.Fatalf("missing dir: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	if _, err := os.Lstat(missing); err == nil {
		t.Fatal("config created the directory")
	}
	// A copy the policy refuses is reported with the gateway's message.
	path := filepath.Join(dir, "openclaw-jsonfile-resolver")
	if err := os.WriteFile(path, []byte("x"), 0o777); err != nil || os.Chmod(path, 0o777) != nil {
		t.Fatal(err)
	}
	want := policy.CheckCommand("jsonfile", path, []string{dir}).Error()
	if _, stderr, code = run(t, bin, t.TempDir(), "config", "--dir", dir); code != 78 || !strings.Contains(stderr, want) {
		t.Fatalf("exit %d, stderr %q, want %q", code, stderr, want)
	}
}

func TestDefaultDirIsUnderTheStateDir(t *testing.T) {
	bin := resolver(t)
	state := filepath.Join(t.TempDir(), "state")
	out, stderr, code := run(t, bin, state, "install")
	if code != 0 {
		t.Fatal(stderr)
	}
	want := filepath.Join(state, "bin", "openclaw-jsonfile-resolver")
	assertSafeCopy(t, bin, want)
	if p := provider(t, out, "jsonfile"); p.Command != want {
		t.Fatalf("command %q, want %q", p.Command, want)
	}
	if !strings.Contains(out, filepath.Join(state, "openclaw.json")) {
		t.Fatalf("the config file to edit is not named:\n%s", out)
	}
	got, err := install.DefaultDir(func(k string) (string, bool) {
		if k == "OPENCLAW_STATE_DIR" {
			return state, true
		}
		return "", false
	})
	if err != nil || got != filepath.Join(state, "bin") {
		t.Fatalf("DefaultDir: %q %v", got, err)
	}
}

func TestUsage(t *testing.T) {
	bin := resolver(t)
	for _, args := range [][]string{
		{"install", "extra"},
		{"install", "--bogus"},
		{"config", "--name", "Bad Name"},
	} {
		_, stderr, code := run(t, bin, t.TempDir(), args...)
		if code != 64 || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

func TestBlockCarriesTheTemplate(t *testing.T) {
	s := install.Spec{Program: "openclaw-x-resolver", Args: []string{"--mode", "a\"b"}, PassEnv: []string{"X_TOKEN"}, Note: "first\nsecond"}
	out := install.Block("x", "/opt/x/openclaw-x-resolver", s)
	if !strings.HasPrefix(out, "// first\n// second\n") {
		t.Fatalf("note not printed as comments:\n%s", out)
	}
	p := provider(t, out, "x")
	if strings.Join(p.Args, "|") != `--mode|a"b` || strings.Join(p.PassEnv, ",") != "X_TOKEN" || strings.Join(p.TrustedDirs, ",") != "/opt/x" {
		t.Fatalf("%+v", p)
	}
	if install.ShortName("openclaw-vault-resolver") != "vault" {
		t.Fatal(install.ShortName("openclaw-vault-resolver"))
	}
}
