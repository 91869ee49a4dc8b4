package onepassword_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/sdk/check"
)

// runBinary runs the installed resolver as a doctor does: the provider's
// args then the words given, in its own directory, with env as its whole
// environment. It returns the exit status, stdout and stderr.
func runBinary(t *testing.T, bin string, env []string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir, cmd.Env = filepath.Dir(bin), env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode(), stdout.String(), stderr.String()
	case err != nil:
		t.Fatal(err)
	}
	return 0, stdout.String(), stderr.String()
}

// checkOf runs the self-check and decodes its report.
func checkOf(t *testing.T, bin string, env []string, args ...string) (int, map[string]check.Result, string) {
	t.Helper()
	status, stdout, stderr := runBinary(t, bin, env, append(args, "check")...)
	out, err := check.Decode([]byte(stdout))
	if err != nil {
		t.Fatalf("check output %q: %v\n%s", stdout, err, stderr)
	}
	byName := map[string]check.Result{}
	for _, c := range out.Checks {
		byName[c.Name] = c
	}
	if strings.Contains(stdout+stderr, cliToken) {
		t.Errorf("the self-check printed the token")
	}
	return status, byName, stderr
}

func wantCheck(t *testing.T, checks map[string]check.Result, name string, status check.Status, says string) {
	t.Helper()
	c, ok := checks[name]
	if !ok || c.Status != status || !strings.Contains(c.Detail, says) {
		t.Errorf("check %q: got %+v, want %s saying %q", name, c, status, says)
	}
}

// cli mode's self-check: the mode and why, the token's source and shape,
// op found and trusted, and op's version, with no value read.
func TestCLICheck(t *testing.T) {
	w := newOpWorld(t, seedAccount())
	status, checks, stderr := checkOf(t, w.bin, nil, w.provider().Args...)
	if status != 0 {
		t.Fatalf("exit %d\n%s", status, stderr)
	}
	wantCheck(t, checks, "mode", check.StatusOK, "cli (--mode cli)")
	tokenFile := filepath.Join(filepath.Dir(w.bin), "op-token")
	wantCheck(t, checks, "token", check.StatusOK, fmt.Sprintf("ops_… (%d chars) from --token-file %s", len(cliToken), tokenFile))
	wantCheck(t, checks, "op", check.StatusOK, w.op+": trusted")
	wantCheck(t, checks, "op version", check.StatusOK, "2.31.1")
	if calls := w.calls(); strings.Join(calls, ",") != "version" {
		t.Errorf("the check called op for more than its version: %q", calls)
	}
}

// What the self-check says when cli mode cannot work: each failure under
// its own name, with the exit status of the first.
func TestCLICheckFailures(t *testing.T) {
	w := newOpWorld(t, seedAccount())
	missing := filepath.Join(filepath.Dir(w.op), "nope")
	status, checks, _ := checkOf(t, w.bin, nil, "--mode", "cli", "--op", missing)
	wantCheck(t, checks, "op", check.StatusFail, "1Password CLI was not found at "+missing)
	if status != 78 || checks["op"].Code != check.CodeConfig {
		t.Errorf("exit %d, code %s; want 78, CONFIG", status, checks["op"].Code)
	}

	status, checks, _ = checkOf(t, w.bin, nil, "--mode", "cli", "--op", w.op)
	wantCheck(t, checks, "token", check.StatusWarn, "no service-account token")
	wantCheck(t, checks, "op version", check.StatusOK, "2.31.1")
	if status != 0 {
		t.Errorf("a missing token in cli mode is a warning, got exit %d", status)
	}

	status, checks, _ = checkOf(t, w.bin, nil, "--mode", "cli", "--op", w.op, "--token-file", "absent")
	wantCheck(t, checks, "token", check.StatusFail, "--token-file is not readable")
	if status != 78 {
		t.Errorf("exit %d, want 78", status)
	}

	status, checks, _ = checkOf(t, w.bin, nil)
	wantCheck(t, checks, "mode", check.StatusFail, "no 1Password credentials")
	if status != 78 {
		t.Errorf("exit %d, want 78", status)
	}
}

// encode prints the id for each reference, one a line, as the bundled
// plugin's setup writes it; a bad reference prints nothing and exits 64.
func TestEncodeCommand(t *testing.T) {
	w := newOpWorld(t, seedAccount())
	status, stdout, stderr := runBinary(t, w.bin, nil, "encode", "op://Private Vault/My Item/api key", "op://Private/OpenAI/api-key", "Team Vault/My Item/api key")
	want := opb64("op://Private Vault/My Item/api key") + "\nop://Private/OpenAI/api-key\n" + opb64("Team Vault/My Item/api key") + "\n"
	if status != 0 || stdout != want || stderr != "" {
		t.Fatalf("exit %d\nstdout %q\nwant   %q\nstderr %q", status, stdout, want, stderr)
	}
	// The ids printed resolve, through the gateway, to the references.
	results, _, err := w.resolve(w.provider(), strings.Fields(strings.ReplaceAll(stdout, "op://Private/OpenAI/api-key", ""))...)
	if err != nil {
		t.Fatal(err)
	}
	wantValue(t, results, opb64("Team Vault/My Item/api key"), unicodeValue)
	wantCode(t, results, opb64("op://Private Vault/My Item/api key"), "NOT_FOUND", `"Private Vault" isn't a vault`)

	for _, args := range [][]string{{"encode"}, {"encode", "op://a/b"}, {"encode", "op://a/b/c", "x"}} {
		status, stdout, stderr = runBinary(t, w.bin, nil, args...)
		if status != 64 || stdout != "" || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 64, nothing, one line", args, status, stdout, stderr)
		}
	}
}
