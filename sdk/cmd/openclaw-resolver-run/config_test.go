package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// writeConfig writes a JSON5 openclaw.json whose provider "sops" runs the
// installed resolver, with passEnv SOPS_AGE_KEY_FILE and a variable set
// nowhere, and two SecretRefs that use it.
func writeConfig(t *testing.T, dir string, s *sopsSetup) string {
	t.Helper()
	path := filepath.Join(dir, "openclaw.json")
	config := `// written by the runner's tests
{
  secrets: {
    providers: {
      sops: {
        source: "exec",
        command: "` + s.command + `",
        args: ["--file", "secrets.enc.yaml", "--timeout", "25s",],
        passEnv: ['SOPS_AGE_KEY_FILE', 'NOT_SET_ANYWHERE'],
        trustedDirs: ["` + filepath.Dir(s.command) + `"],
        timeoutMs: 30000, noOutputTimeoutMs: 30000,
      },
    },
  },
  models: {
    providers: {
      openai: { apiKey: { source: "exec", provider: "sops", id: "openai/apiKey" } },
    },
  },
  channels: {
    github: { token: { source: 'exec', provider: 'sops', id: 'github/token' }, },
  },
}
`
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// --config finds openclaw.json in OPENCLAW_STATE_DIR as the gateway does,
// runs the block as written there, reads passEnv from the gateway's
// environment (the state dir's .env here: the runner's own environment
// has no key), says where each passEnv variable came from, and without
// ids resolves every ref of the provider.
func TestConfigResolvesThroughProviderBlock(t *testing.T) {
	s := newSopsSetup(t)
	state, home, cwd := t.TempDir(), t.TempDir(), t.TempDir()
	writeConfig(t, state, s)
	if err := os.WriteFile(filepath.Join(state, ".env"), []byte("SOPS_AGE_KEY_FILE="+s.keyA+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"OPENCLAW_STATE_DIR=" + state, "HOME=" + home}

	stdout, stderr, code := runBinary(t, s.runner, env, "--config", "--provider", "sops", "--gateway-cwd", cwd)
	if code != exitOK {
		t.Fatalf("status %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	for _, want := range []string{
		`(?m)^openai/apiKey +ok +•••••• \(\d+ chars\) +\(models\.providers\.openai\.apiKey\)$`,
		`(?m)^github/token +ok +•••••• \(\d+ chars\) +\(channels\.github\.token\)$`,
	} {
		if !regexp.MustCompile(want).MatchString(stdout) {
			t.Errorf("stdout does not match %s:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "database/url") {
		t.Errorf("an id no ref uses was resolved:\n%s", stdout)
	}
	for _, want := range []string{
		`provider "sops" from ` + filepath.Join(state, "openclaw.json"),
		"  passEnv SOPS_AGE_KEY_FILE: set, from ",
		"  passEnv NOT_SET_ANYWHERE: not set in the gateway's environment; the gateway drops it silently",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("%q missing from stderr:\n%s", want, stderr)
		}
	}
	if line := regexp.MustCompile(`passEnv SOPS_AGE_KEY_FILE: set, from (.*)`).FindStringSubmatch(stderr); line == nil || !strings.Contains(line[1], ".env") {
		t.Errorf("SOPS_AGE_KEY_FILE should come from the state dir's .env: %q", line)
	}
	for _, secret := range s.secrets {
		if strings.Contains(stdout+stderr, secret) {
			t.Errorf("a secret of %d chars is in the output", len(secret))
		}
	}
}

// OPENCLAW_CONFIG_PATH names the file; the file's only provider needs no
// --provider; given ids are resolved, flags after them included; passEnv
// comes from the runner's own environment too.
func TestConfigPathAndIDs(t *testing.T) {
	s := newSopsSetup(t)
	dir, home := t.TempDir(), t.TempDir()
	path := writeConfig(t, dir, s)
	env := []string{"OPENCLAW_CONFIG_PATH=" + path, "HOME=" + home, "SOPS_AGE_KEY_FILE=" + s.keyA}

	stdout, stderr, code := runBinary(t, s.runner, env, "database/url", "--config", "--gateway-cwd", dir, "--json")
	if code != exitOK || !strings.Contains(stdout, `"id": "database/url"`) || !strings.Contains(stdout, `"masked": "••••••`) {
		t.Fatalf("status %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}

	// --config FILE, and a provider the file does not have: the file's
	// providers are named, and the status says the config is at fault.
	stdout, stderr, code = runBinary(t, s.runner, env, "--config", path, "--provider", "vault", "a/b")
	if code != exitConfig || stdout != "" || !strings.Contains(stderr, `has no provider "vault" under secrets.providers; it has: sops`) {
		t.Fatalf("status %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}
