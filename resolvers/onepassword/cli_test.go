package onepassword_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
)

// wantValue checks one id's value, byte for byte, never printing it.
func wantValue(t *testing.T, results map[string]host.Result, id, want string) {
	t.Helper()
	r, ok := results[id]
	switch {
	case !ok:
		t.Errorf("%s: no result", id)
	case r.Err != nil:
		t.Errorf("%s: %v", id, r.Err)
	case r.Value != want:
		s, _ := r.Value.(string)
		t.Errorf("%s: got a value of %d bytes, want the one of %d bytes", id, len(s), len(want))
	}
}

// wantCode checks one id's error code and that its message says each of
// the phrases.
func wantCode(t *testing.T, results map[string]host.Result, id string, code protocol.Code, phrases ...string) {
	t.Helper()
	r := results[id]
	if !errors.Is(r.Err, code) {
		t.Errorf("%s: got %v, want %s", id, r.Err, code)
		return
	}
	for _, p := range phrases {
		if !strings.Contains(r.Err.Error(), p) {
			t.Errorf("%s: message %q does not say %q", id, r.Err, p)
		}
	}
}

// wantExit checks a whole-provider failure's exit status and stderr.
func wantExit(t *testing.T, err error, run *host.Run, status int, phrases ...string) {
	t.Helper()
	var pe *host.ProviderError
	if !errors.As(err, &pe) || !errors.Is(err, host.ErrExit) || pe.ExitCode != status {
		t.Fatalf("got %v, want exit %d", err, status)
	}
	for _, p := range phrases {
		if run == nil || !strings.Contains(string(run.Stderr), p) {
			t.Errorf("stderr does not say %q: %s", p, stderrOf(run))
		}
	}
}

func stderrOf(run *host.Run) string {
	if run == nil {
		return "(no run)"
	}
	return string(run.Stderr)
}

// Every form of id in one batch: names, ids, sections, files, opb64 with
// spaces and characters a template could misread, case folded as op folds
// it, multi-line and Unicode values; all from ONE op inject of the
// distinct references, plus one op read for each reference kept out of
// the template.
func TestCLIValues(t *testing.T) {
	w := newOpWorld(t, seedAccount())
	values := seedValues()
	results, _, err := w.resolve(w.provider(), slices.Sorted(maps.Keys(values))...)
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range values {
		wantValue(t, results, id, want)
	}
	// Two ids spell op://Private/OpenAI/api-key; three names go to op read.
	calls := w.calls()
	if !slices.Contains(calls, fmt.Sprintf("inject %d", len(values)-4)) || w.count("inject ") != 1 || w.count("read ") != 3 ||
		!slices.Contains(calls, "read op://Private/Pay $HOME/password") ||
		!slices.Contains(calls, "read op://Private/mysql (work)/password") ||
		!slices.Contains(calls, "read op://Private/OpenAI/key#1") {
		t.Errorf("want one op inject and an op read for each of the three names a template could misread; op was called: %q", calls)
	}
}

// 512 ids, the gateway's largest batch, cost one op inject, and resolve
// within the default deadline although every op call takes 300 ms (one
// op read per id, 8 at a time, would take 19 s).
func TestCLIOneInjectFor512(t *testing.T) {
	data := seedAccount()
	data.Latency = "300ms"
	w := newOpWorld(t, data)
	var ids []string
	for i := range 512 {
		ids = append(ids, fmt.Sprintf("Bulk/Many/f%03d", i))
	}
	results, run, err := w.resolve(w.provider(), ids...)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderrOf(run))
	}
	for i, id := range ids {
		wantValue(t, results, id, bulkValue(i))
	}
	if calls := w.calls(); !slices.Equal(calls, []string{"inject 512"}) {
		t.Errorf("want exactly one op inject of 512 references, got %q", calls)
	}
}

// Missing vaults, items, sections and fields are NOT_FOUND, each saying
// which part is missing, while the batch's other ids still resolve: the
// failed op inject is followed by one op read per reference.
func TestCLINotFound(t *testing.T) {
	w := newOpWorld(t, seedAccount())
	missing := map[string]string{
		"Nope/OpenAI/api-key":         `"Nope" isn't a vault`,
		"Private/Nope/api-key":        `"Nope" isn't an item in the "Private" vault`,
		"Private/OpenAI/nope/token":   `"nope" isn't a section`,
		"Private/OpenAI/nope":         `"nope" isn't a field`,
		"Private/OpenAI/prod/api-key": `"api-key" isn't a field`,
	}
	ids := append(slices.Sorted(maps.Keys(missing)), "Private/OpenAI/api-key", "Private/GitHub/token")
	results, _, err := w.resolve(w.provider(), ids...)
	if err != nil {
		t.Fatal(err)
	}
	for id, says := range missing {
		wantCode(t, results, id, protocol.NotFound, says)
	}
	wantValue(t, results, "Private/OpenAI/api-key", openaiKey)
	wantValue(t, results, "Private/GitHub/token", githubToken)
	if w.count("inject ") != 1 || w.count("read ") != len(ids) {
		t.Errorf("want one op inject, then one op read per reference; op was called: %q", w.calls())
	}
}

// Two items, vaults or fields of one name are AMBIGUOUS_DUPLICATE_KEY,
// never the first match; the gateway shows it as a provider error.
func TestCLIAmbiguous(t *testing.T) {
	w := newOpWorld(t, seedAccount())
	results, _, err := w.resolve(w.provider(), "Private/Twin/password", "Shared/X/y", "Private/Dup/password", "Private/twinone0000000000000000000/password")
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, results, "Private/Twin/password", protocol.AmbiguousDuplicateKey, `More than one item matches "Twin"`, "twintwo0000000000000000000")
	wantCode(t, results, "Shared/X/y", protocol.AmbiguousDuplicateKey, `More than one vault matches "Shared"`)
	wantCode(t, results, "Private/Dup/password", protocol.AmbiguousDuplicateKey, `More than one field matches "password"`)
	wantValue(t, results, "Private/twinone0000000000000000000/password", "twin-one") // by its id, one of the twins
}

// An op read killed by a signal that is not the resolver's (the OOM
// killer, a user) is run once more, and its output never used: the value
// comes from the second, whole read. Both item names need op read (not
// template-safe), and the killed call is in op's log.
func TestCLIKilledOpReadIsRetried(t *testing.T) {
	data := seedAccount()
	for i, it := range data.Vaults[0].Items {
		if it.Title == "Pay $HOME" || it.Title == "mysql (work)" {
			data.Vaults[0].Items[i].KilledOnce = true
		}
	}
	w := newOpWorld(t, data)
	dollar, paren := opb64("op://Private/Pay $HOME/password"), opb64("op://Private/mysql (work)/password")
	results, run, err := w.resolve(w.provider(), dollar, paren)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderrOf(run))
	}
	wantValue(t, results, dollar, dollarValue)
	wantValue(t, results, paren, parenValue)
	if w.count("killed reading ") != 2 || w.count("read ") != 4 {
		t.Errorf("want each read killed once, then read again; op was called: %q", w.calls())
	}
}

// A reference op hangs on is stopped at the resolver's deadline: the
// batch's other ids are answered, that one is TIMEOUT, the run ends well
// before the gateway's timeout, and no op process is left behind.
func TestCLIHangingItemTimesOut(t *testing.T) {
	w := newOpWorld(t, seedAccount())
	p := w.provider("--timeout", "2s")
	results, run, err := w.resolve(p, "Private/Slow/password", "Private/OpenAI/api-key", "Private/GitHub/token")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderrOf(run))
	}
	wantCode(t, results, "Private/Slow/password", protocol.Timeout)
	wantValue(t, results, "Private/OpenAI/api-key", openaiKey)
	wantValue(t, results, "Private/GitHub/token", githubToken)
	wantNoOpLeft(t, w)
}

// An op that hangs on every call (openclaw#55459) costs the batch its
// values, not the provider: the resolver answers TIMEOUT for every id at
// its deadline and exits 0 before the gateway's timeout kills it.
func TestCLIHangingOpStoppedAtDeadline(t *testing.T) {
	data := seedAccount()
	data.Hang = true
	w := newOpWorld(t, data)
	p := w.provider("--timeout", "2s")
	ids := []string{"Private/OpenAI/api-key", "Private/GitHub/token", opb64("op://Private/Pay $HOME/password")}
	results, run, err := w.resolve(p, ids...)
	if err != nil {
		t.Fatalf("the provider failed instead of answering at its deadline: %v\n%s", err, stderrOf(run))
	}
	for _, id := range ids {
		wantCode(t, results, id, protocol.Timeout)
	}
	if run.Signal != "" || run.ExitCode != 0 {
		t.Errorf("run ended by %q, exit %d", run.Signal, run.ExitCode)
	}
	if w.count("inject hang") != 1 || w.count("read hang") == 0 {
		t.Errorf("want the op inject, then op reads, each stopped; op was called: %q", w.calls())
	}
	wantNoOpLeft(t, w)
}

// wantNoOpLeft checks that no process runs the fake op any more: each op
// call's process group is killed with it.
func wantNoOpLeft(t *testing.T, w *opWorld) {
	t.Helper()
	if runtime.GOOS != "linux" {
		return
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		var left []string
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			if exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe")); err == nil && exe == w.op {
				left = append(left, e.Name())
			}
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("op processes left running after the batch: pids %v", left)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A token 1Password refuses fails the provider with exit 77, as does no
// sign-in at all: op never prompts.
func TestCLITokenRefused(t *testing.T) {
	w := newOpWorld(t, seedAccount())
	if err := os.WriteFile(filepath.Join(filepath.Dir(w.bin), "op-token"), []byte("ops_not-the-right-token"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, run, err := w.resolve(w.provider(), "Private/OpenAI/api-key", "Private/GitHub/token")
	wantExit(t, err, run, 77, "op refused the credentials", "(401) Unauthorized")

	p := w.provider()
	p.Args = []string{"--mode", "cli", "--op", w.op} // no token anywhere: HOME is not passed
	_, run, err = w.resolve(p, "Private/OpenAI/api-key")
	wantExit(t, err, run, 77, "not currently signed in")

	if err := os.WriteFile(filepath.Join(filepath.Dir(w.bin), "op-token"), []byte("not-a-service-account-token"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, run, err = w.resolve(w.provider(), "Private/OpenAI/api-key")
	wantExit(t, err, run, 77, "DecodeSACredentials")
}

// 1Password out of reach fails the provider with exit 69, after one retry.
func TestCLIUnreachable(t *testing.T) {
	data := seedAccount()
	data.Fail = "network"
	w := newOpWorld(t, data)
	_, run, err := w.resolve(w.provider(), "Private/OpenAI/api-key", opb64("op://Private/Pay $HOME/password"))
	wantExit(t, err, run, 69, "could not reach 1Password", "no such host")
	if n := w.count("inject "); n != 2 {
		t.Errorf("want op inject tried twice, got %d: %q", n, w.calls())
	}
}

// A reference 1Password keeps throttling is RATE_LIMITED after retries
// within the deadline; one the service account may not read is
// PERMISSION_DENIED; the others resolve.
func TestCLIRateLimitedAndDenied(t *testing.T) {
	w := newOpWorld(t, seedAccount())
	results, _, err := w.resolve(w.provider(), "Private/Throttled/password", "Private/Locked/password", "Private/OpenAI/api-key")
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, results, "Private/Throttled/password", protocol.RateLimited, "(429) Too Many Requests")
	wantCode(t, results, "Private/Locked/password", protocol.PermissionDenied, "(403) Forbidden")
	wantValue(t, results, "Private/OpenAI/api-key", openaiKey)
	if n := w.count("read op://Private/Throttled/password"); n < 2 {
		t.Errorf("want the throttled read retried, got %d reads: %q", n, w.calls())
	}
}

// An op inject that hands references back unresolved is not believed:
// the values come from op read, never the template's text.
func TestCLIUnresolvedInjectNotBelieved(t *testing.T) {
	data := seedAccount()
	data.InjectVerbatim = true
	w := newOpWorld(t, data)
	results, _, err := w.resolve(w.provider(), "Private/OpenAI/api-key", "Private/GitHub/token")
	if err != nil {
		t.Fatal(err)
	}
	wantValue(t, results, "Private/OpenAI/api-key", openaiKey)
	wantValue(t, results, "Private/GitHub/token", githubToken)
	if w.count("read ") != 2 {
		t.Errorf("want an op read per reference after the op inject; op was called: %q", w.calls())
	}
}

// op reaches the resolver's op calls non-interactive whatever the
// provider passes, with HOME, the token from the token file, and the
// provider's other variables.
func TestCLIEnvironment(t *testing.T) {
	data := seedAccount()
	data.LogEnv = []string{"OP_BIOMETRIC_UNLOCK_ENABLED", "OP_LOAD_DESKTOP_APP_SETTINGS", "OP_SERVICE_ACCOUNT_TOKEN", "HOME", "PASSED_THROUGH"}
	w := newOpWorld(t, data)
	p := w.provider()
	p.Env = map[string]string{"OP_BIOMETRIC_UNLOCK_ENABLED": "true", "OP_LOAD_DESKTOP_APP_SETTINGS": "true",
		"OP_SERVICE_ACCOUNT_TOKEN": "ops_the-file-wins", "PASSED_THROUGH": "yes"}
	results, _, err := w.resolve(p, "Private/OpenAI/api-key")
	if err != nil {
		t.Fatal(err)
	}
	wantValue(t, results, "Private/OpenAI/api-key", openaiKey)
	calls := w.calls()
	for _, want := range []string{"env OP_BIOMETRIC_UNLOCK_ENABLED=false", "env OP_LOAD_DESKTOP_APP_SETTINGS=false",
		fmt.Sprintf("env OP_SERVICE_ACCOUNT_TOKEN len=%d", len(cliToken)), "env PASSED_THROUGH=yes"} {
		if !slices.Contains(calls, want) {
			t.Errorf("op's environment lacks %q: %q", want, calls)
		}
	}
	if slices.Contains(calls, "env HOME unset") || slices.Contains(calls, "env HOME=") {
		t.Errorf("op got no HOME: %q", calls)
	}
}

// The provider block docs/resolvers/1password.md gives for migrating from
// the bundled plugin: op found in the PATH the gateway passes, the token
// in the plugin's file under OPENCLAW_STATE_DIR, nothing else configured.
func TestCLIMigratedProviderBlock(t *testing.T) {
	w := newOpWorld(t, seedAccount())
	state := t.TempDir()
	tokenFile := filepath.Join(state, "credentials", "onepassword", "service-account-token")
	if err := os.MkdirAll(filepath.Dir(tokenFile), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tokenFile, []byte(cliToken), 0o600); err != nil {
		t.Fatal(err)
	}
	gatewayEnv := map[string]string{"HOME": t.TempDir(), "PATH": "/nonexistent:" + filepath.Dir(w.op), "OPENCLAW_STATE_DIR": state}
	runner := &host.Runner{LookupEnv: func(name string) (string, bool) { v, ok := gatewayEnv[name]; return v, ok }}
	p := host.Provider{Command: w.bin, Args: []string{"--mode", "cli"},
		PassEnv: []string{"HOME", "PATH", "OPENCLAW_HOME", "OPENCLAW_STATE_DIR", "OPENCLAW_PROFILE", "CLAW_1PASSWORD_OP"}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	results, run, err := runner.ResolveRun(ctx, cliProvider, p, []string{"Private/OpenAI/api-key", opb64("Team Vault/My Item/api key")})
	if err != nil {
		t.Fatalf("%v\n%s", err, stderrOf(run))
	}
	wantValue(t, results, "Private/OpenAI/api-key", openaiKey)
	wantValue(t, results, opb64("Team Vault/My Item/api key"), unicodeValue)
}
