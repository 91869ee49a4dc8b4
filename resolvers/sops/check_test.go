package sops_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/sops/internal/encrypt"
	"github.com/execref/execref/sdk"
	selfcheck "github.com/execref/execref/sdk/check"
	"github.com/execref/execref/sdk/host"
)

// These tests run `openclaw-sops-resolver [args] check` built and
// installed, through the host runner with the gateway's empty environment,
// as a doctor runs it.

// runCheck runs the check and requires a well-formed report on stdout, a
// summary on stderr, and neither holding a secret: a plaintext value or
// an age secret key.
func runCheck(t *testing.T, e *env, p host.Provider) (*host.Run, selfcheck.Output) {
	t.Helper()
	p.Args = append(slices.Clone(p.Args), "check")
	run, err := gateway.Exec(context.Background(), "sops", p, nil)
	if run == nil {
		t.Fatalf("did not run: %v", err)
	}
	out, derr := selfcheck.Decode(run.Stdout)
	if derr != nil {
		t.Fatalf("stdout: %v: %q\nstderr: %s", derr, run.Stdout, run.Stderr)
	}
	if !strings.Contains(string(run.Stderr), out.Verdict()) {
		t.Errorf("stderr has no summary: %s", run.Stderr)
	}
	secrets := []string{e.id.Secret, "AGE-SECRET-KEY", "sk-yaml-123", "sk-json-456", "sk-env-789", "ini-secret", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"}
	for _, s := range secrets {
		if strings.Contains(string(run.Stdout)+string(run.Stderr), s) {
			t.Fatalf("a secret (%d chars) leaked:\nstdout %s\nstderr %s", len(s), run.Stdout, run.Stderr)
		}
	}
	return run, out
}

// result finds a check by name.
func result(t *testing.T, out selfcheck.Output, name string) selfcheck.Result {
	t.Helper()
	for _, c := range out.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check %q in %+v", name, out.Checks)
	return selfcheck.Result{}
}

// failsCheck requires a failed report whose first failure is name, with
// code and exit status, and a detail holding every one of words.
func failsCheck(t *testing.T, e *env, p host.Provider, status int, name string, code protocol.Code, words ...string) selfcheck.Output {
	t.Helper()
	run, out := runCheck(t, e, p)
	fails := out.Failures()
	if run.ExitCode != status || out.OK || len(fails) == 0 || fails[0].Name != name || fails[0].Code != code {
		t.Fatalf("exit %d (want %d), first failure %+v (want %s %s)\nstderr: %s", run.ExitCode, status, fails, name, code, run.Stderr)
	}
	for _, w := range words {
		if !strings.Contains(fails[0].Detail, w) {
			t.Errorf("%s: detail %q does not say %q", name, fails[0].Detail, w)
		}
	}
	return out
}

func TestCheckGoodConfiguration(t *testing.T) {
	e := install(t)
	run, out := runCheck(t, e, e.provider)
	if run.ExitCode != 0 || !out.OK {
		t.Fatalf("exit %d: %s", run.ExitCode, run.Stderr)
	}
	if c := result(t, out, "key file SOPS_AGE_KEY_FILE"); c.Status != selfcheck.StatusOK || !strings.Contains(c.Detail, e.keyFile) {
		t.Errorf("%+v", c)
	}
	for _, alias := range []string{"", "prod", "env", "legacy", "cert"} {
		f := result(t, out, strings.TrimSpace("file "+alias))
		k := result(t, out, strings.TrimSpace("data key "+alias))
		if f.Status != selfcheck.StatusOK || !strings.Contains(f.Detail, "MAC present") || !strings.Contains(f.Detail, "age "+e.id.Recipient) {
			t.Errorf("file %q: %+v", alias, f)
		}
		if k.Status != selfcheck.StatusOK || !strings.Contains(k.Detail, "with age recipient "+e.id.Recipient+" (from SOPS_AGE_KEY_FILE") {
			t.Errorf("key %q: %+v", alias, k)
		}
	}

	// The same key given in SOPS_AGE_KEY, which must not be shown.
	p := e.provider
	p.Env = map[string]string{"SOPS_AGE_KEY": string(e.id.KeyFile())}
	run, out = runCheck(t, e, p)
	if run.ExitCode != 0 || result(t, out, "age key SOPS_AGE_KEY").Status != selfcheck.StatusOK ||
		!strings.Contains(result(t, out, "data key").Detail, "(from SOPS_AGE_KEY)") {
		t.Fatalf("exit %d: %s", run.ExitCode, run.Stderr)
	}
}

func TestCheckKeyFileFaults(t *testing.T) {
	e := install(t)
	p := e.provider

	// Missing: configuration, named by its variable, and no key is tried.
	missing := filepath.Join(t.TempDir(), "nope.txt")
	p.Env = map[string]string{"SOPS_AGE_KEY_FILE": missing}
	out := failsCheck(t, e, p, sdk.ExitConfig, "key file SOPS_AGE_KEY_FILE", selfcheck.CodeConfig, "SOPS_AGE_KEY_FILE is not readable: "+missing)
	for _, c := range out.Checks {
		if strings.HasPrefix(c.Name, "data key") {
			t.Errorf("a key was tried with an unusable key file: %+v", c)
		}
	}

	// Readable by others: the mode and the fix.
	must(t, os.Chmod(e.keyFile, 0o644))
	failsCheck(t, e, e.provider, sdk.ExitConfig, "key file SOPS_AGE_KEY_FILE", selfcheck.CodeConfig, "permissions are too open (0644; want 0600 or stricter): "+e.keyFile)
	must(t, os.Chmod(e.keyFile, 0o600))

	// Another age key: credentials refused, naming both recipients.
	other, err := encrypt.NewIdentity()
	must(t, err)
	otherFile := filepath.Join(t.TempDir(), "other.txt")
	must(t, os.WriteFile(otherFile, other.KeyFile(), 0o600))
	p.Env = map[string]string{"SOPS_AGE_KEY_FILE": otherFile}
	failsCheck(t, e, p, sdk.ExitNoPerm, "data key", protocol.Unauthenticated,
		"the age identities available are for "+other.Recipient, "encrypted to "+e.id.Recipient)

	// No key at all, as with the gateway's empty environment.
	p.Env = nil
	out = failsCheck(t, e, p, sdk.ExitNoPerm, "data key", protocol.Unauthenticated, "no age identity is available")
	if w := result(t, out, "age keys"); w.Status != selfcheck.StatusWarn || !strings.Contains(w.Detail, "SOPS_AGE_KEY_FILE") {
		t.Errorf("%+v", w)
	}
}

func TestCheckFileFaults(t *testing.T) {
	e := install(t)
	p := e.provider

	p.Args = []string{"--file", "missing.enc.yaml"}
	failsCheck(t, e, p, sdk.ExitConfig, "file", selfcheck.CodeConfig, "is not readable: "+filepath.Join(e.dir, "missing.enc.yaml"))

	p.Args = []string{"--file", "prod=plain.yaml"}
	must(t, os.WriteFile(filepath.Join(e.dir, "plain.yaml"), []byte("a: b\n"), 0o600))
	failsCheck(t, e, p, sdk.ExitConfig, "file prod", selfcheck.CodeConfig, "is not a sops-encrypted yaml file")

	p.Args = nil
	failsCheck(t, e, p, sdk.ExitConfig, "files", selfcheck.CodeConfig, "give --file PATH")
}

// A file encrypted to PGP only needs gpg; without it the check says what
// to pass, as Resolve would.
func TestCheckPGPWithoutGPG(t *testing.T) {
	e := install(t)
	const fp = "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4"
	pgpFile, err := encrypt.ToPGP(encrypt.MustEncrypt(t, []byte("a: b\n"), "yaml", e.id.Recipient), "yaml", fp)
	must(t, err)
	must(t, os.WriteFile(filepath.Join(e.dir, "pgp.enc.yaml"), pgpFile, 0o600))
	p := e.provider
	p.Args = []string{"--file", "pgp.enc.yaml"}
	out := failsCheck(t, e, p, sdk.ExitConfig, "data key", selfcheck.CodeConfig, "its PGP key "+fp+" needs gpg, which was not found: PATH is not set")
	if f := result(t, out, "file"); !strings.Contains(f.Detail, "pgp "+fp) {
		t.Errorf("the file's key groups are not listed: %+v", f)
	}
}
