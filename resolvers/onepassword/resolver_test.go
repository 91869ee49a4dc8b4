package onepassword

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
)

// planBackend runs the Resolver's plan inside a real batch and keeps it.
type planBackend struct {
	r    *Resolver
	plan plan
	err  error
}

func (p *planBackend) RegisterFlags(fs *flag.FlagSet) { p.r.RegisterFlags(fs) }

func (p *planBackend) Resolve(_ context.Context, b *sdk.Batch) error {
	p.plan, p.err = p.r.plan(b)
	for _, id := range b.IDs {
		b.Fail(id, protocol.NotFound)
	}
	return p.err // as Resolve returns it: the exit status is the run's
}

// planFor plans with env as the whole environment and args as the
// provider's args; status is the exit status of the run.
func planFor(t *testing.T, env map[string]string, args ...string) (p plan, status int, err error) {
	t.Helper()
	r := New()
	r.lookupEnv = func(name string) (string, bool) { v, ok := env[name]; return v, ok }
	pb := &planBackend{r: r}
	req := protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: "onepassword", IDs: []string{"a/b/c"}})
	var stdout, stderr bytes.Buffer
	status = sdk.Serve(sdk.Program{Name: "openclaw-1password-resolver", Backend: pb}, args, bytes.NewReader(req), &stdout, &stderr)
	if status == sdk.ExitOK && !strings.Contains(stdout.String(), `"a/b/c"`) {
		t.Fatalf("no answer: %s", stderr.String())
	}
	return pb.plan, status, pb.err
}

// writeToken writes a token file with mode perm and returns its path.
func writeToken(t *testing.T, path, content string, perm os.FileMode) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil {
		t.Fatal(err)
	}
	return path
}

func wantConfigError(t *testing.T, err error, phrases ...string) {
	t.Helper()
	if !errors.Is(err, sdk.ErrConfig) {
		t.Fatalf("got %v, want a configuration error", err)
	}
	for _, p := range phrases {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("%q does not say %q", err, p)
		}
	}
}

const (
	testToken   = "ops_test-token-value"
	connectHost = "http://127.0.0.1:1"
)

func TestAutoPicksConnectThenSDK(t *testing.T) {
	home := t.TempDir()
	p, _, err := planFor(t, map[string]string{"HOME": home, envConnectHost: connectHost, envConnectToken: "ct"})
	if err != nil || p.mode != modeConnect || p.connect.host != connectHost || p.connect.token != "ct" {
		t.Fatalf("both Connect variables: %+v, %v", p, err)
	}
	p, _, err = planFor(t, map[string]string{"HOME": home, envServiceAccountToken: " " + testToken + "\n"})
	if err != nil || p.mode != modeSDK || p.token.value != testToken || !strings.Contains(p.why, envServiceAccountToken) {
		t.Fatalf("a token: %+v, %v", p, err)
	}
}

// Two complete configurations are refused, naming both; the plugin's
// token file never competes with Connect.
func TestAutoRefusesTwoConfigurations(t *testing.T) {
	home := t.TempDir()
	env := map[string]string{"HOME": home, envConnectHost: connectHost, envConnectToken: "ct", envServiceAccountToken: testToken}
	_, status, err := planFor(t, env)
	wantConfigError(t, err, "two 1Password configurations", envConnectHost, envConnectToken, envServiceAccountToken, "--mode connect", "--mode sdk")
	if status != sdk.ExitConfig {
		t.Errorf("exit %d, want %d", status, sdk.ExitConfig)
	}
	tokenFile := writeToken(t, filepath.Join(home, "tok"), testToken, 0o600)
	delete(env, envServiceAccountToken)
	_, _, err = planFor(t, env, "--token-file", tokenFile)
	wantConfigError(t, err, "two 1Password configurations", "--token-file "+tokenFile)

	writeToken(t, filepath.Join(home, ".openclaw", "credentials", "onepassword", "service-account-token"), testToken, 0o600)
	p, _, err := planFor(t, env)
	if err != nil || p.mode != modeConnect {
		t.Fatalf("Connect with the plugin's token file left over: %+v, %v", p, err)
	}
	// An explicit mode takes what it needs and ignores the rest.
	p, _, err = planFor(t, map[string]string{"HOME": home, envConnectHost: connectHost, envConnectToken: "ct", envServiceAccountToken: testToken}, "--mode", "sdk")
	if err != nil || p.mode != modeSDK || p.token.value != testToken {
		t.Fatalf("--mode sdk: %+v, %v", p, err)
	}
}

func TestAutoNeedsCredentials(t *testing.T) {
	home := t.TempDir()
	_, _, err := planFor(t, map[string]string{"HOME": home, envConnectHost: connectHost})
	wantConfigError(t, err, envConnectHost+" is set but "+envConnectToken+" is not", "passEnv")
	_, _, err = planFor(t, map[string]string{"HOME": home, envConnectToken: "ct", envServiceAccountToken: testToken})
	wantConfigError(t, err, envConnectToken+" is set but "+envConnectHost+" is not")
	_, status, err := planFor(t, map[string]string{"HOME": home})
	wantConfigError(t, err, "no 1Password credentials", envServiceAccountToken, "--token-file",
		filepath.Join(home, ".openclaw", "credentials", "onepassword", "service-account-token"), envConnectHost, "--mode cli")
	if status != sdk.ExitConfig {
		t.Errorf("exit %d", status)
	}
	_, _, err = planFor(t, map[string]string{"HOME": home}, "--mode", "sdk")
	wantConfigError(t, err, "--mode sdk needs a service-account token")
	_, _, err = planFor(t, map[string]string{"HOME": home, envConnectHost: connectHost}, "--mode", "connect")
	wantConfigError(t, err, envConnectToken)
	_, _, err = planFor(t, map[string]string{"HOME": home}, "--mode", "connect")
	wantConfigError(t, err, "Connect needs")
}

func TestModeFlag(t *testing.T) {
	_, status, _ := planFor(t, nil, "--mode", "desktop")
	if status != sdk.ExitUsage {
		t.Fatalf("--mode desktop: exit %d, want %d", status, sdk.ExitUsage)
	}
}

// --token-file, then OP_SERVICE_ACCOUNT_TOKEN, then the plugin's file.
func TestTokenSourcesInOrder(t *testing.T) {
	home := t.TempDir()
	plugin := writeToken(t, filepath.Join(home, ".openclaw", "credentials", "onepassword", "service-account-token"), "ops_from-plugin\n", 0o600)
	flagFile := writeToken(t, filepath.Join(home, "flag-token"), "ops_from-flag", 0o600)
	env := map[string]string{"HOME": home, envServiceAccountToken: "ops_from-env"}
	for _, tc := range []struct {
		env    map[string]string
		args   []string
		value  string
		source string
	}{
		{env, []string{"--token-file", flagFile}, "ops_from-flag", "--token-file " + flagFile},
		{env, nil, "ops_from-env", envServiceAccountToken},
		{map[string]string{"HOME": home, envServiceAccountToken: "  "}, nil, "ops_from-plugin", "the onepassword plugin's token file " + plugin},
	} {
		p, _, err := planFor(t, tc.env, tc.args...)
		if err != nil || p.token.value != tc.value || p.token.source != tc.source {
			t.Errorf("%v: got %q from %q, %v; want %q from %q", tc.args, p.token.value, p.token.source, err, tc.value, tc.source)
		}
	}
}

// The plugin's token file is found where the bundled resolver looks.
func TestPluginTokenFileLocation(t *testing.T) {
	home := t.TempDir()
	file := func(dir string) string {
		return filepath.Join(dir, "credentials", "onepassword", "service-account-token")
	}
	state := t.TempDir()
	writeToken(t, file(state), "ops_state-dir", 0o600)
	writeToken(t, file(filepath.Join(home, ".openclaw-work")), "ops_profile", 0o600)
	otherHome := t.TempDir()
	writeToken(t, file(filepath.Join(otherHome, ".clawdbot")), "ops_legacy", 0o600)
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"HOME": home, "OPENCLAW_STATE_DIR": state}, "ops_state-dir"},
		{map[string]string{"HOME": home, "OPENCLAW_STATE_DIR": state, "OPENCLAW_PROFILE": "work"}, "ops_state-dir"},
		{map[string]string{"HOME": home, "OPENCLAW_PROFILE": "work"}, "ops_profile"},
		{map[string]string{"HOME": "/nonexistent", "OPENCLAW_HOME": home, "OPENCLAW_PROFILE": "work"}, "ops_profile"},
		{map[string]string{"HOME": otherHome}, "ops_legacy"},
		{map[string]string{"HOME": otherHome, "OPENCLAW_PROFILE": "default"}, "ops_legacy"},
	} {
		p, _, err := planFor(t, tc.env)
		if err != nil || p.token.value != tc.want {
			t.Errorf("%v: got %q, %v; want %q", tc.env, p.token.value, err, tc.want)
		}
	}
	_, _, err := planFor(t, map[string]string{"HOME": home, "OPENCLAW_PROFILE": "../x"})
	wantConfigError(t, err, "OPENCLAW_PROFILE")
}

// A token file must be yours, private, a regular file, not empty, not
// huge; each refusal says what to fix. Its value is never in a message.
func TestTokenFileRefused(t *testing.T) {
	dir := t.TempDir()
	open := writeToken(t, filepath.Join(dir, "open"), testToken, 0o644)
	empty := writeToken(t, filepath.Join(dir, "empty"), " \n", 0o600)
	huge := writeToken(t, filepath.Join(dir, "huge"), strings.Repeat("x", maxTokenBytes+1), 0o600)
	good := writeToken(t, filepath.Join(dir, "good"), testToken, 0o600)
	link := filepath.Join(dir, "link")
	if err := os.Symlink(good, link); err != nil {
		t.Fatal(err)
	}
	for path, says := range map[string]string{
		open:                       "permissions are too open (0644; want 0600 or stricter)",
		empty:                      "is empty",
		huge:                       "larger than 16384 bytes",
		link:                       "must not be a symlink",
		filepath.Join(dir, "none"): "is not readable",
		dir:                        "must be a file",
	} {
		_, status, err := planFor(t, map[string]string{"HOME": dir}, "--token-file", path)
		wantConfigError(t, err, says, path)
		if strings.Contains(err.Error(), testToken) || status != sdk.ExitConfig {
			t.Errorf("%s: exit %d, %v", path, status, err)
		}
	}
	// The plugin's file is held to the same rules.
	plugin := writeToken(t, filepath.Join(dir, ".openclaw", "credentials", "onepassword", "service-account-token"), testToken, 0o640)
	_, _, err := planFor(t, map[string]string{"HOME": dir})
	wantConfigError(t, err, "the onepassword plugin's token file permissions are too open", plugin)
}

// --token-file is relative to the binary's directory, where the gateway
// runs it.
func TestTokenFileRelative(t *testing.T) {
	dir := t.TempDir()
	writeToken(t, filepath.Join(dir, "op-token"), testToken, 0o600)
	t.Chdir(dir)
	p, _, err := planFor(t, nil, "--token-file", "op-token")
	if err != nil || p.token.value != testToken {
		t.Fatalf("%+v, %v", p, err)
	}
}
