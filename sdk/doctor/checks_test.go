//go:build unix

package doctor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/policy"
)

// Every command-path rule is reported before anything runs, with the
// gateway's own sentence, on the provider and on each of its refs, and a
// fix; the command never runs.
func TestPolicyFaults(t *testing.T) {
	dir := binDir(t)
	marker := filepath.Join(dir, "ran")
	body := ": > " + marker + "\n"
	good := script(t, dir, "good", body)
	link := filepath.Join(dir, "link")
	if err := os.Symlink(good, link); err != nil {
		t.Fatal(err)
	}
	open := script(t, dir, "open", body)
	if err := os.Chmod(open, 0o775); err != nil {
		t.Fatal(err)
	}
	noexec := script(t, dir, "noexec", body)
	if err := os.Chmod(noexec, 0o644); err != nil {
		t.Fatal(err)
	}
	other := binDir(t)

	cases := []struct {
		name, command string
		trusted       []string
		rule          error
		fix           string
	}{
		{"symlink", link, nil, policy.ErrSymlink, "the link points at " + good},
		{"open", open, nil, policy.ErrTooOpen, "chmod go-w " + open},
		{"missing", filepath.Join(dir, "missing"), nil, policy.ErrNotReadable, "check the path"},
		{"directory", dir, nil, policy.ErrDirectory, "not at its directory"},
		{"relative", "bin/good", nil, policy.ErrNotAbsolute, "absolute path"},
		{"outside", good, []string{other}, policy.ErrOutsideTrustedDirs, "trustedDirs"},
		{"noexec", noexec, nil, policy.ErrNotExecutable, "chmod u+x " + noexec},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := policy.CheckCommand("p", host.CommandPath(c.command), c.trusted)
			if want == nil {
				t.Fatal("the fixture passes the policy")
			}
			cfg := config(map[string]host.Provider{"p": {Command: c.command, TrustedDirs: c.trusted}}, ref("at", "p", "x"))
			rep := run(t, cfg, nil)
			f := finding(t, rep, "p", CheckCommand)
			if len(f) != 1 || f[0].Status != StatusFail || f[0].Detail != want.Error() || !strings.Contains(f[0].Fix, c.fix) || f[0].Code == "" {
				t.Errorf("finding %+v, want %q with a fix containing %q", f, want, c.fix)
			}
			r := findRef(t, rep, "at")
			if r.Status != StatusFail || r.Gateway != want.Error() || r.Code != host.UserCode(want) || r.Fix == "" {
				t.Errorf("ref %+v", r)
			}
			if exists(marker) {
				t.Fatal("the command ran")
			}
		})
	}
}

// A passEnv name the gateway's environment lacks is a warning (the gateway
// drops it silently), and it is named in the fix of a ref that then fails.
func TestPassEnvUnset(t *testing.T) {
	dir := binDir(t)
	cmd := script(t, dir, "r", "/bin/cat >/dev/null\nexit 77\n")
	cfg := config(map[string]host.Provider{"vault": {Command: cmd,
		PassEnv: []string{"VAULT_ADDR", "VAULT_TOKEN", "SHADOWED"}, Env: map[string]string{"SHADOWED": "x"}}},
		ref("at", "vault", "secret/x"))
	rep := run(t, cfg, env(map[string]string{"VAULT_ADDR": "https://vault.example:8200"}))

	got := map[string]Finding{}
	for _, f := range finding(t, rep, "vault", CheckPassEnv) {
		got[strings.Fields(f.Detail)[0]] = f
	}
	if f := got["VAULT_TOKEN"]; f.Status != StatusWarn || !strings.Contains(f.Detail, "not set in the gateway's environment") ||
		!strings.Contains(f.Fix, "~/.openclaw/.env") {
		t.Errorf("VAULT_TOKEN: %+v", f)
	}
	if f := got["VAULT_ADDR"]; f.Status != StatusOK || !strings.Contains(f.Detail, "(from process)") {
		t.Errorf("VAULT_ADDR: %+v", f)
	}
	if f := got["SHADOWED"]; f.Status != StatusOK {
		t.Errorf("SHADOWED: %+v", f)
	}
	r := findRef(t, rep, "at")
	if r.Status != StatusFail || !strings.Contains(r.Reason, "exited with code 77") ||
		!strings.Contains(r.Reason, "credentials refused") || !strings.Contains(r.Fix, "VAULT_TOKEN is not set") {
		t.Errorf("ref %+v", r)
	}
	if rep.Summary.Warnings != 1 {
		t.Errorf("summary %+v", rep.Summary)
	}
}

// Literal env values that look like secrets are warned about by name,
// length and shape; the values appear nowhere, not even where a resolver
// echoes them.
func TestEnvSecrets(t *testing.T) {
	github := "ghp_" + strings.Repeat("Q7x", 12)
	long := "Lq9-long-team-password-84"
	url := "postgres://app:Pw-in-url-5521@db.example/app"
	dir := binDir(t)
	cmd := script(t, dir, "r", `/bin/cat >/dev/null
echo "token=$GH pw=$DB_PASSWORD url=$DB_URL" >&2
exit 78
`)
	cfg := config(map[string]host.Provider{"p": {Command: cmd, Env: map[string]string{
		"GH": github, "DB_PASSWORD": long, "DB_URL": url,
		"VAULT_NAMESPACE": "team-a", "SOPS_AGE_KEY_FILE": "/home/me/.config/sops/age/keys.txt-long-enough",
		"SHORT_TOKEN": "abc",
	}}}, ref("at", "p", "x"))
	rep := run(t, cfg, nil)

	got := map[string]Finding{}
	for _, f := range finding(t, rep, "p", CheckEnvSecret) {
		got[strings.Fields(f.Detail)[0]] = f
	}
	if len(got) != 3 {
		t.Errorf("findings for %v, want env.GH, env.DB_PASSWORD and env.DB_URL", got)
	}
	for name, want := range map[string]string{
		"env.GH":          "40 chars, shaped like a GitHub token",
		"env.DB_PASSWORD": "25 chars under a name that says it holds a secret",
		"env.DB_URL":      "a URL with a password in it",
	} {
		if f := got[name]; f.Status != StatusWarn || !strings.Contains(f.Detail, want) || !strings.Contains(f.Fix, "passEnv") {
			t.Errorf("%s: %+v, want %q", name, f, want)
		}
	}
	// The resolver echoed them on stderr: its reason is shown, scrubbed.
	if r := findRef(t, rep, "at"); !strings.Contains(r.Reason, "[REDACTED]") {
		t.Errorf("ref %+v", r)
	}
	noValue(t, rep, github, long, "Pw-in-url-5521")
}

// A directory above the command that others can write is a warning: the
// gateway accepts it, yet anyone who can write there can swap the binary.
// A sticky directory (/tmp) is safe for the user's own entries.
func TestParentDirWritable(t *testing.T) {
	root := t.TempDir()
	shared := filepath.Join(root, "shared")
	if err := os.Mkdir(shared, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(shared, 0o777); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(shared, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := answer(t, bin, "r", `{"protocolVersion":1,"values":{"x":"value-x-1"}}`)
	rep := run(t, config(map[string]host.Provider{"p": {Command: cmd}}, ref("at", "p", "x")), nil)
	f := finding(t, rep, "p", CheckParentDirs)
	if len(f) != 1 || f[0].Status != StatusWarn || !strings.Contains(f[0].Detail, shared+" is writable by group and others (mode 0777)") ||
		strings.Contains(f[0].Detail, bin+" ") || !strings.Contains(f[0].Fix, "chmod go-w") {
		t.Errorf("finding %+v", f)
	}
	// The gateway accepts it, and so does the verdict.
	if r := findRef(t, rep, "at"); r.Status != StatusOK || !rep.OK {
		t.Errorf("ref %+v, ok %v", r, rep.OK)
	}

	if err := os.Chmod(shared, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	rep = run(t, config(map[string]host.Provider{"p": {Command: cmd}}, ref("at", "p", "x")), nil)
	if f := finding(t, rep, "p", CheckParentDirs); len(f) != 1 || f[0].Status != StatusOK {
		t.Errorf("sticky: %+v", f)
	}

	// Through a symlinked directory, the real one is checked too.
	if err := os.Chmod(shared, 0o777); err != nil {
		t.Fatal(err)
	}
	safe := binDir(t)
	alias := filepath.Join(safe, "alias")
	if err := os.Symlink(bin, alias); err != nil {
		t.Fatal(err)
	}
	if f := checkParentDirs(filepath.Join(alias, "r")); f.Status != StatusWarn || !strings.Contains(f.Detail, shared+" is writable") {
		t.Errorf("through a symlink: %+v", f)
	}
}
