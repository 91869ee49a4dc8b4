package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/sdktest"
)

// sopsIDs are the ids of the secrets file the sops resolver's demo
// program writes, each with a random value.
var sopsIDs = []string{"openai/apiKey", "github/token", "database/url"}

// sopsSetup is an installed openclaw-sops-resolver beside a secrets file
// encrypted to key A, the age key files A and B (both 0600), and every
// secret of the setup: the file's values and both private keys.
type sopsSetup struct {
	runner, command, keyA, keyB string
	secrets                     []string
}

func newSopsSetup(t *testing.T) *sopsSetup {
	t.Helper()
	demo := sdktest.Cached(t, "../../../resolvers/sops/internal/demo")
	dirA, dirB := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	for _, dir := range []string{dirA, dirB} {
		if out, err := exec.Command(demo, dir).CombinedOutput(); err != nil {
			t.Fatalf("demo %s: %v\n%s", dir, err, out)
		}
	}
	enc, err := os.ReadFile(filepath.Join(dirA, "secrets.enc.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := &sopsSetup{
		runner:  sdktest.Cached(t, "github.com/execref/execref/sdk/cmd/openclaw-resolver-run"),
		command: sdktest.Install(t, sdktest.Cached(t, "../../../resolvers/sops/cmd/openclaw-sops-resolver"), map[string][]byte{"secrets.enc.yaml": enc}),
		keyA:    filepath.Join(dirA, "age-key.txt"),
		keyB:    filepath.Join(dirB, "age-key.txt"),
	}
	for _, key := range []string{s.keyA, s.keyB} {
		data, err := os.ReadFile(key)
		if err != nil {
			t.Fatal(err)
		}
		s.secrets = append(s.secrets, regexp.MustCompile(`AGE-SECRET-KEY-1[0-9A-Z]+`).FindAllString(string(data), -1)...)
	}
	// The right key resolves every id: that is how the values are known.
	stdout, stderr, code := runBinary(t, s.runner, nil, s.args("SOPS_AGE_KEY_FILE="+s.keyA, "--reveal", "--json")...)
	var got []jsonResult
	if code != exitOK || json.Unmarshal([]byte(stdout), &got) != nil || len(got) != len(sopsIDs) {
		t.Fatalf("the right key: status %d, stderr %q", code, stderr)
	}
	for _, r := range got {
		v, _ := r.Value.(string)
		if len(v) < 10 {
			t.Fatalf("%s: value of %d chars", r.ID, len(v))
		}
		s.secrets = append(s.secrets, v)
	}
	if len(s.secrets) != 2+len(sopsIDs) {
		t.Fatalf("%d secrets known", len(s.secrets))
	}
	return s
}

// args runs the installed resolver on the secrets file, with env (a
// NAME=VALUE, or "" for none) and extra flags after the ids.
func (s *sopsSetup) args(env string, extra ...string) []string {
	args := append([]string{"--provider", "sops", "--command", s.command}, sopsIDs...)
	// Generous limits: a loaded machine must not turn a check of reasons
	// into a timeout.
	args = append(args, "--arg=--file", "--arg=secrets.enc.yaml", "--arg=--timeout=25s", "--timeout-ms", "30000")
	if env != "" {
		args = append(args, "--env", env)
	}
	return append(args, extra...)
}

// runBinary runs a built command with exactly env as its environment.
func runBinary(t *testing.T, bin string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

// A wrong age key, a missing key file, a key file readable by others and
// no key at all fail the same way at the gateway ("exited with code N").
// The runner tells them apart: the resolver's own reason, what the status
// means, and a hint, with no secret anywhere in its output.
func TestSopsFailuresSayWhy(t *testing.T) {
	s := newSopsSetup(t)
	open := filepath.Join(t.TempDir(), "age-key.txt")
	data, err := os.ReadFile(s.keyA)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(open, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "no-such-key.txt")
	cases := []struct {
		name, env, status, reason, hint string
	}{
		{"wrong key", "SOPS_AGE_KEY_FILE=" + s.keyB, "exit 77: credentials refused",
			"^unauthenticated: the default file .*: no configured key can decrypt it: .*did not match", "the backend refused the credentials: "},
		{"missing key file", "SOPS_AGE_KEY_FILE=" + missing, "exit 78: configuration missing or invalid",
			"^configuration error: SOPS_AGE_KEY_FILE is not readable: " + regexp.QuoteMeta(missing) + "$", "fix the configuration the reason names"},
		{"key file 0644", "SOPS_AGE_KEY_FILE=" + open, "exit 78: configuration missing or invalid",
			"^" + regexp.QuoteMeta("configuration error: SOPS_AGE_KEY_FILE permissions are too open (0644; want 0600 or stricter): "+open) + "$", "chmod 0600 " + open},
		{"no key", "", "exit 77: credentials refused",
			"^unauthenticated: the default file .*: no configured key can decrypt it: .*failed to load age identities", "the backend refused the credentials: "},
	}
	reasons := map[string]string{}
	for _, c := range cases {
		stdout, stderr, code := runBinary(t, s.runner, nil, s.args(c.env)...)
		if code != exitProvider || stdout != "" {
			t.Errorf("%s: status %d, stdout %q", c.name, code, stdout)
		}
		if !strings.Contains(stderr, "\n  status: "+c.status+"\n") || !strings.Contains(stderr, "\n  hint:   "+c.hint) {
			t.Errorf("%s: no status %q or hint %q in\n%s", c.name, c.status, c.hint, stderr)
		}
		m := regexp.MustCompile(`(?m)^  reason: (.*)$`).FindStringSubmatch(stderr)
		if m == nil || !regexp.MustCompile(c.reason).MatchString(m[1]) {
			t.Errorf("%s: reason does not match %q in\n%s", c.name, c.reason, stderr)
			continue
		}
		if other, dup := reasons[m[1]]; dup {
			t.Errorf("%s gives the same reason as %s: %q", c.name, other, m[1])
		}
		reasons[m[1]] = c.name
		if noEnv := strings.Contains(stderr, "held only OPENCLAW_CLI=1"); noEnv != (c.env == "") {
			t.Errorf("%s: note that no variable reached the resolver: %v", c.name, noEnv)
		}
		for _, secret := range s.secrets {
			if strings.Contains(stdout+stderr, secret) {
				t.Errorf("%s: a secret of %d chars is in the output", c.name, len(secret))
			}
		}
	}
}

// --verbose passes --verbose to a resolver built on the SDK, whose
// diagnostics then show, redacted; the values stay masked.
func TestVerbosePassesVerboseToSDKResolvers(t *testing.T) {
	s := newSopsSetup(t)
	stdout, stderr, code := runBinary(t, s.runner, nil, s.args("SOPS_AGE_KEY_FILE="+s.keyA, "--verbose")...)
	if code != exitOK {
		t.Fatalf("status %d, stderr %q", code, stderr)
	}
	for _, want := range []string{
		"passing --verbose to openclaw-sops-resolver",
		"its environment (names only): OPENCLAW_CLI, SOPS_AGE_KEY_FILE\n",
		"the resolver's stderr (",
		`openclaw-sops-resolver: request for provider "sops": 3 ids, 3 valid`,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("%q missing from stderr:\n%s", want, stderr)
		}
	}
	for _, secret := range s.secrets {
		if strings.Contains(stdout+stderr, secret) {
			t.Errorf("a secret of %d chars is in the output", len(secret))
		}
	}
}
