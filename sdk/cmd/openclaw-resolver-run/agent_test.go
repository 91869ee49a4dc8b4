//go:build unix

package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/clidoc/clidoctest"
	"github.com/execref/execref/sdk/sdktest"
)

// agentBlock writes an openclaw.json in a fresh state directory whose
// provider "p" runs command with the given extra keys (JSON members, each
// followed by a comma), and returns the file's path.
func agentBlock(t *testing.T, command, extra string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "openclaw.json")
	config := `{"secrets": {"providers": {"p": {` + extra + ` "source": "exec", "command": "` + command + `"}}}}`
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Before anything starts, agent refuses what could not serve the
// gateway's runs, each with its own status and the exact reason: no
// socket named in the block (with the line to add, where the runner's own
// environment puts the default), a command the gateway would refuse, a
// command not built on the SDK, a --socket of its own, a bad command line.
func TestAgentRefusals(t *testing.T) {
	runner := sdktest.Cached(t, "github.com/execref/execref/sdk/cmd/openclaw-resolver-run")
	sdkBin := sdktest.Install(t, sdktest.Cached(t, "../../../resolvers/sops/cmd/openclaw-sops-resolver"), nil)
	notSDK := shellResolver(t, "exit 0\n")
	open := sdktest.Install(t, sdkBin, nil)
	if err := os.Chmod(open, 0o775); err != nil {
		t.Fatal(err)
	}
	runtime := "/run/user/4242"
	env := []string{"HOME=" + t.TempDir(), "XDG_RUNTIME_DIR=" + runtime}
	socket := runtime + "/execref/openclaw-sops-resolver@p.sock"

	noSocket := agentBlock(t, sdkBin, `"args": ["--file", "s.yaml"],`)
	withEnv := agentBlock(t, sdkBin, `"env": {"SOPS_AGE_KEY_FILE": "/k"},`)
	flagOnly := agentBlock(t, sdkBin, `"args": ["--agent", "`+t.TempDir()+`/a.sock", "--file", "s.yaml"],`)
	cases := []struct {
		name   string
		args   []string
		status int
		stderr string // the whole of it, or its last line with ...
	}{
		{"no socket", []string{"agent", "p", "--config", noSocket}, exitConfig,
			`openclaw-resolver-run agent: provider "p" names no socket for its agent, and the gateway runs its resolver with no other environment than the block gives, so the gateway's runs would not find the agent. Add to secrets.providers.p in ` + noSocket + ":\n" +
				`  "env": {"EXECREF_AGENT": "` + socket + `"}` + "\n" +
				"(or add --agent PATH to its args), then start the agent again\n"},
		{"no socket, env present", []string{"agent", "--config", withEnv, "p"}, exitConfig,
			`openclaw-resolver-run agent: provider "p" names no socket for its agent, and the gateway runs its resolver with no other environment than the block gives, so the gateway's runs would not find the agent. Add to secrets.providers.p.env in ` + withEnv + ":\n" +
				`  "EXECREF_AGENT": "` + socket + `"` + "\n" +
				"(or add --agent PATH to its args), then start the agent again\n"},
		{"not built on the SDK", []string{"agent", "p", "--config", agentBlock(t, notSDK, `"env": {"EXECREF_AGENT": "/run/a.sock"},`)}, exitConfig,
			"openclaw-resolver-run agent: secrets.providers.p.command " + notSDK + " is not built on the execref SDK (its build information names no github.com/execref/execref/sdk): it has no agent, and the gateway's runs of it are all cold\n"},
		{"policy", []string{"agent", "p", "--config", agentBlock(t, open, `"env": {"EXECREF_AGENT": "/run/a.sock"},`)}, exitProvider,
			`openclaw-resolver-run agent: the gateway would not run provider "p": secrets.providers.p.command permissions are too open: ` + open + " [SECRET_PROVIDER_UNAVAILABLE]\n" +
				"  hint: chmod go-w " + open + "\n"},
		{"--socket", []string{"agent", "p", "--config", flagOnly, "--", "--cache-ttl", "1m", "--socket=/x.sock"}, exitUsage,
			"openclaw-resolver-run agent: --socket is not yours to give: the agent listens where the provider's runs look for it, --agent in its args or EXECREF_AGENT in its env (see --help)\n"},
		{"no provider", []string{"agent", "--config", flagOnly}, exitUsage,
			"openclaw-resolver-run agent: which provider? give its name under secrets.providers (see --help)\n"},
		{"two providers", []string{"agent", "p", "q", "--config", flagOnly}, exitUsage,
			`openclaw-resolver-run agent: unexpected argument "q": the resolver's agent flags go after -- (see --help)` + "\n"},
		{"unknown provider", []string{"agent", "vault", "--config", flagOnly}, exitConfig,
			"...openclaw-resolver-run agent: " + flagOnly + ` has no provider "vault" under secrets.providers; it has: p` + "\n"},
	}
	for _, c := range cases {
		stdout, stderr, code := runBinary(t, runner, env, c.args...)
		ok := stderr == c.stderr
		if tail, partial := strings.CutPrefix(c.stderr, "..."); partial {
			ok = strings.HasSuffix(stderr, "\n"+tail) || stderr == tail
		}
		if code != c.status || stdout != "" || !ok {
			t.Errorf("%s: status %d, stdout %q, stderr\n%s\nwant status %d, stderr\n%s", c.name, code, stdout, stderr, c.status, c.stderr)
		}
	}
}

// agent --help, the man page and the completions come from one
// description: every flag of agent's --help is in the page, and the shell
// completes agent and its flags.
func TestAgentIsDocumented(t *testing.T) {
	help, stderr, status := runOut(t, "agent", "--help")
	flags := clidoctest.FlagsOfHelp(help)
	if status != exitOK || stderr != "" || !slices.Equal(flags, []string{"config", "gateway-cwd", "verbose"}) {
		t.Fatalf("agent --help: status %d, stderr %q, flags %q", status, stderr, flags)
	}
	page, _, _ := runOut(t, "man", "--date", "2026-01-02")
	for _, name := range flags {
		if !clidoctest.ManHasFlag([]byte(page), name) {
			t.Errorf("agent's --%s is not in the page", name)
		}
	}
	if !strings.Contains(page, `\fBagent\fR PROVIDER`) {
		t.Errorf("the page lacks the agent command")
	}
	script, _, _ := runOut(t, "completion", "bash")
	for line, want := range map[string][]string{
		"openclaw-resolver-run a":            {"agent"},
		"openclaw-resolver-run agent --gate": {"--gateway-cwd"},
	} {
		if got := clidoctest.Complete(t, "bash", []byte(script), "openclaw-resolver-run", line, t.TempDir()); !slices.Equal(got, want) {
			t.Errorf("%q: got %q, want %q", line, got, want)
		}
	}
}
