//go:build unix

package doctor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/sdk/doctor"
	"github.com/execref/execref/sdk/sdktest"
)

// The installed real gateway, named as make e2e-openclaw names it (the
// conformance module's gateway package reads the same variables; the SDK
// cannot import it).
const (
	envNode    = "EXECREF_NODE"
	envPrefix  = "EXECREF_OPENCLAW_PREFIX"
	envRequire = "EXECREF_REQUIRE_GATEWAY"
)

// openclawCLI returns node and the openclaw CLI script, or skips; with
// EXECREF_REQUIRE_GATEWAY=1 it fails instead, so CI cannot pass by
// skipping.
func openclawCLI(t *testing.T) (node, cli string) {
	t.Helper()
	node, prefix := os.Getenv(envNode), os.Getenv(envPrefix)
	cli = filepath.Join(prefix, "node_modules", "openclaw", "openclaw.mjs")
	var problem string
	switch {
	case node == "" || prefix == "":
		problem = envNode + " or " + envPrefix + " is unset"
	case !isFile(node):
		problem = envNode + "=" + node + " is not a file"
	case !isFile(cli):
		problem = "no openclaw CLI at " + cli
	}
	if problem == "" {
		return node, cli
	}
	if os.Getenv(envRequire) == "1" {
		t.Fatalf("real gateway required (%s=1) but %s: run make e2e-openclaw", envRequire, problem)
	}
	t.Skipf("real gateway not installed (%s): run make e2e-openclaw", problem)
	return "", ""
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// install is a user-owned 0755 copy of bin in a 0755 directory of its
// own, with files (0600) beside it.
func install(t *testing.T, bin string, files map[string]string) string {
	t.Helper()
	data := map[string][]byte{}
	for k, v := range files {
		data[k] = []byte(v)
	}
	return sdktest.Install(t, bin, data)
}

// shellResolver installs a shell script as a resolver.
func shellResolver(t *testing.T, body string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "bin")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "resolver.sh")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// fault is one provider block and the refs that use it; fails lists the
// paths the gateway must fail.
type fault struct {
	name     string
	provider map[string]any
	refs     map[string]string // path suffix → id
}

// Distinctive values: the test fails if one shows up in doctor's output.
const (
	goodValue   = "Gd4-good-value-of-openai-17"
	secretValue = "Sk9-other-value-in-the-file-55"
	demoToken   = "Dt3-demo-token-passed-by-env-88"
	envSecret   = "ghp_" + "E2eLiteralTokenInTheConfig0123456789"
)

// TestDoctorMatchesAuditGateway writes configs with deliberate faults and
// checks that doctor fails exactly the refs that the real CLI's
// `openclaw secrets audit --allow-exec` fails, with the gateway's own
// sentence for each, plus a reason and a fix of its own, and never a
// value.
func TestDoctorMatchesAuditGateway(t *testing.T) {
	node, cli := openclawCLI(t)
	runner := sdktest.Cached(t, "../cmd/openclaw-resolver-run")
	example := sdktest.Cached(t, "../examples/openclaw-jsonfile-resolver")
	demo := sdktest.Cached(t, "./testdata/checkresolver")

	secrets := fmt.Sprintf(`{"openai/apiKey":%q,"other/key":%q}`, goodValue, secretValue)
	good := install(t, example, map[string]string{"secrets.json": secrets})
	openKeyFile := install(t, example, map[string]string{"secrets.json": secrets})
	if err := os.Chmod(filepath.Join(filepath.Dir(openKeyFile), "secrets.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	linked := filepath.Join(t.TempDir(), "openclaw-jsonfile-resolver")
	if err := os.Symlink(good, linked); err != nil {
		t.Fatal(err)
	}
	groupWritable := install(t, example, map[string]string{"secrets.json": secrets})
	if err := os.Chmod(groupWritable, 0o775); err != nil {
		t.Fatal(err)
	}
	demoBin := install(t, demo, nil)
	slow := shellResolver(t, "/bin/sleep 10\n")
	silent := shellResolver(t, "/bin/cat >/dev/null\nexit 0\n")
	// A good resolver in a directory anyone can write: the gateway runs
	// it; doctor warns and agrees.
	sharedDir := filepath.Join(t.TempDir(), "shared")
	if err := os.Mkdir(sharedDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(sharedDir, 0o777); err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(sharedDir, "openclaw-jsonfile-resolver")
	copyFile(t, good, shared, 0o755)
	if err := os.WriteFile(filepath.Join(sharedDir, "secrets.json"), []byte(secrets), 0o600); err != nil {
		t.Fatal(err)
	}

	sops := newSopsFixture(t, runner)

	faults := []fault{
		{"good", map[string]any{"command": good, "env": map[string]string{"GITHUB_TOKEN": envSecret}},
			map[string]string{"goodref": "openai/apiKey", "missingkey": "no/such/key"}},
		{"keymode", map[string]any{"command": openKeyFile}, map[string]string{"keymode": "openai/apiKey"}},
		{"linked", map[string]any{"command": linked}, map[string]string{"linked": "openai/apiKey"}},
		{"groupw", map[string]any{"command": groupWritable}, map[string]string{"groupw": "openai/apiKey"}},
		// The demo resolver reads DEMO_TOKEN: a passEnv with a typo in it,
		// as in "works in my shell, fails in the service".
		{"unsetpass", map[string]any{"command": demoBin, "passEnv": []string{"DEMO_TOKN"}}, map[string]string{"unsetpass": "x"}},
		{"setpass", map[string]any{"command": demoBin, "passEnv": []string{"DEMO_TOKEN"}}, map[string]string{"setpass": "x"}},
		{"slow", map[string]any{"command": slow, "timeoutMs": 500}, map[string]string{"slow": "x"}},
		{"silent", map[string]any{"command": silent}, map[string]string{"silent": "x"}},
		{"shared", map[string]any{"command": shared}, map[string]string{"shared": "openai/apiKey"}},
		// The real sops resolver: the right key, a key file others can
		// read, the wrong key.
		{"sopsgood", sops.provider(sops.keyA), map[string]string{"sopsgood": "openai/apiKey"}},
		{"sopskeymode", sops.provider(sops.openKey), map[string]string{"sopskeymode": "openai/apiKey"}},
		{"sopswrongkey", sops.provider(sops.keyB), map[string]string{"sopswrongkey": "github/token"}},
	}

	providers := map[string]any{}
	entries := map[string]any{}
	for _, f := range faults {
		p := map[string]any{"source": "exec"}
		for k, v := range f.provider {
			p[k] = v
		}
		providers[f.name] = p
		for suffix, id := range f.refs {
			entries[suffix] = map[string]any{"apiKey": map[string]any{"source": "exec", "provider": f.name, "id": id}}
		}
	}
	entries["noprovider"] = map[string]any{"apiKey": map[string]any{"source": "exec", "provider": "nosuch", "id": "x"}}
	cfg := map[string]any{
		"secrets": map[string]any{"providers": providers},
		"skills":  map[string]any{"entries": entries},
	}

	// DEMO_TOKEN reaches the gateway from ~/.openclaw/.env, as for a
	// gateway run as a service.
	g := newGatewayHome(t, cfg, nil)
	g.dotenv(t, "DEMO_TOKEN="+demoToken+"\n")
	audit := g.audit(t, node, cli)
	rep, status, stdout := g.doctor(t, runner)

	var doctorFails []string
	sentence := map[string]string{}
	for _, r := range rep.Refs {
		if r.Status == doctor.StatusFail {
			doctorFails = append(doctorFails, r.Path)
			sentence[r.Path] = r.Gateway
			if r.Reason == "" || r.Fix == "" || r.Code == "" {
				t.Errorf("%s fails without a reason, fix and code: %+v", r.Path, r)
			}
		}
	}
	slices.Sort(doctorFails)
	auditFails := audit.failedPaths()
	if !slices.Equal(doctorFails, auditFails) {
		t.Fatalf("doctor fails %q\nthe gateway fails %q", doctorFails, auditFails)
	}
	want := []string{"skills.entries.groupw.apiKey", "skills.entries.keymode.apiKey", "skills.entries.linked.apiKey",
		"skills.entries.missingkey.apiKey", "skills.entries.noprovider.apiKey", "skills.entries.silent.apiKey",
		"skills.entries.slow.apiKey", "skills.entries.sopskeymode.apiKey", "skills.entries.sopswrongkey.apiKey",
		"skills.entries.unsetpass.apiKey"}
	if !slices.Equal(auditFails, want) {
		t.Errorf("the gateway fails %q, the test expected %q: a fixture changed meaning", auditFails, want)
	}
	// Each failure in the gateway's own words.
	for path, msg := range audit.messages() {
		if sentence[path] != msg {
			t.Errorf("%s: doctor says the gateway prints %q; it prints %q", path, sentence[path], msg)
		}
	}
	if status != 1 || rep.OK {
		t.Errorf("doctor exited %d (ok %v), want 1", status, rep.OK)
	}
	// What doctor adds that the gateway does not say.
	checks := map[string]string{}
	for _, p := range rep.Providers {
		for _, f := range p.Findings {
			if f.Status != doctor.StatusOK {
				checks[p.Name+"/"+f.Check] = string(f.Status)
			}
		}
	}
	for key, status := range map[string]string{
		"good/env": "warn", "unsetpass/passEnv": "warn", "unsetpass/self-check: token": "fail",
		"shared/parent-dirs": "warn", "linked/command": "fail", "groupw/command": "fail",
		"sopskeymode/self-check: key file SOPS_AGE_KEY_FILE": "fail", "sopswrongkey/self-check: data key": "fail",
	} {
		if checks[key] != status {
			t.Errorf("finding %s: %q, want %q (all: %v)", key, checks[key], status, checks)
		}
	}
	for _, p := range rep.Providers {
		if p.Name != "setpass" {
			continue
		}
		from := filepath.Join(g.home, ".openclaw", ".env")
		if len(p.Findings) < 3 || !slices.ContainsFunc(p.Findings, func(f doctor.Finding) bool {
			return f.Check == doctor.CheckPassEnv && f.Status == doctor.StatusOK && strings.Contains(f.Detail, "(from "+from+")")
		}) {
			t.Errorf("setpass: DEMO_TOKEN not said to come from %s: %+v", from, p.Findings)
		}
	}
	for _, v := range append([]string{goodValue, secretValue, demoToken, envSecret}, sops.secrets...) {
		if strings.Contains(stdout, v) {
			t.Errorf("a value (%d chars) is in doctor's output", len(v))
		}
	}
}

// An invalid provider block makes the gateway refuse the whole config:
// the audit resolves nothing and fails; so does doctor, saying why.
func TestDoctorInvalidConfigGateway(t *testing.T) {
	node, cli := openclawCLI(t)
	runner := sdktest.Cached(t, "../cmd/openclaw-resolver-run")
	good := install(t, sdktest.Cached(t, "../examples/openclaw-jsonfile-resolver"),
		map[string]string{"secrets.json": fmt.Sprintf(`{"openai/apiKey":%q}`, goodValue)})
	cfg := map[string]any{
		"secrets": map[string]any{"providers": map[string]any{
			"old": map[string]any{"source": "exec", "command": good, "allowSymlinkCommand": true},
		}},
		"skills": map[string]any{"entries": map[string]any{
			"one": map[string]any{"apiKey": map[string]any{"source": "exec", "provider": "old", "id": "openai/apiKey"}},
		}},
	}
	g := newGatewayHome(t, cfg, nil)
	audit := g.audit(t, node, cli)
	if !slices.Equal(audit.failedPaths(), []string{"<root>"}) {
		t.Fatalf("the gateway: %+v", audit.Findings)
	}
	rep, status, _ := g.doctor(t, runner)
	if status != 1 || rep.OK || len(rep.Findings) == 0 || rep.Findings[0].Status != doctor.StatusFail ||
		!strings.Contains(rep.Findings[0].Detail, "the gateway refuses this config") {
		t.Errorf("doctor exited %d: %+v", status, rep.Findings)
	}
}

// gatewayHome is a throwaway HOME with ~/.openclaw/openclaw.json, and the
// environment both the gateway and doctor run with.
type gatewayHome struct {
	home, config, cwd string
	env               []string
}

func newGatewayHome(t *testing.T, cfg map[string]any, vars map[string]string) *gatewayHome {
	t.Helper()
	root := t.TempDir()
	g := &gatewayHome{home: filepath.Join(root, "home"), cwd: filepath.Join(root, "cwd")}
	state := filepath.Join(g.home, ".openclaw")
	for _, d := range []string{state, g.cwd} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	data, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	g.config = filepath.Join(state, "openclaw.json")
	if err := os.WriteFile(g.config, data, 0o600); err != nil {
		t.Fatal(err)
	}
	g.env = []string{"HOME=" + g.home, "OPENCLAW_STATE_DIR=" + state, "PATH=/usr/bin:/bin", "NO_COLOR=1"}
	for k, v := range vars {
		g.env = append(g.env, k+"="+v)
	}
	return g
}

// dotenv writes ~/.openclaw/.env, which the gateway reads at startup.
func (g *gatewayHome) dotenv(t *testing.T, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(g.home, ".openclaw", ".env"), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// auditReport is what `openclaw secrets audit --json` prints, in part.
type auditReport struct {
	Findings []struct {
		Code     string `json:"code"`
		JSONPath string `json:"jsonPath"`
		Message  string `json:"message"`
	} `json:"findings"`
}

// failedPaths are the config paths of unresolved refs, sorted.
func (a *auditReport) failedPaths() []string {
	var out []string
	for _, f := range a.Findings {
		if f.Code == "REF_UNRESOLVED" || f.Code == "PLACEHOLDER_VALUE" {
			out = append(out, f.JSONPath)
		}
	}
	slices.Sort(out)
	return out
}

// auditMessage is the audit's line per failed ref, around the gateway's
// sentence.
var auditMessage = regexp.MustCompile(`^Failed to resolve exec:[a-z][a-z0-9_-]*:[^ ]+ \((.*)\)\.$`)

// messages maps each failed path to the gateway's sentence for it.
func (a *auditReport) messages() map[string]string {
	out := map[string]string{}
	for _, f := range a.Findings {
		if m := auditMessage.FindStringSubmatch(f.Message); m != nil {
			out[f.JSONPath] = m[1]
		}
	}
	return out
}

// audit runs the real CLI: exit 2 when a ref does not resolve.
func (g *gatewayHome) audit(t *testing.T, node, cli string) *auditReport {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, cli, "secrets", "audit", "--allow-exec", "--json")
	cmd.Env, cmd.Dir = g.env, g.cwd
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 2) {
		t.Fatalf("openclaw secrets audit: %v\n%s", err, stderr.String())
	}
	var rep auditReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("openclaw secrets audit --json printed %d bytes that are not its report: %v\n%s", stdout.Len(), err, stderr.String())
	}
	return &rep
}

// doctor runs the built runner's doctor under the same environment.
func (g *gatewayHome) doctor(t *testing.T, runner string) (*doctor.Report, int, string) {
	t.Helper()
	cmd := exec.Command(runner, "doctor", "--json")
	cmd.Env, cmd.Dir = g.env, g.cwd
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	status := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		status = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	var rep doctor.Report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("doctor exited %d with %d bytes that are not its report: %v\nstderr: %s", status, stdout.Len(), err, stderr.String())
	}
	if stderr.Len() != 0 {
		t.Errorf("doctor wrote on stderr, which is no terminal: %q", stderr.String())
	}
	return &rep, status, stdout.String() + stderr.String()
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, mode); err != nil {
		t.Fatal(err)
	}
}

// sopsFixture is the real openclaw-sops-resolver installed beside a file
// encrypted to age key A, with key files A and B (0600) and a copy of A
// that others can read; secrets holds the file's values and both private
// keys, which must never show.
type sopsFixture struct {
	command, keyA, keyB, openKey string
	secrets                      []string
}

func newSopsFixture(t *testing.T, runner string) *sopsFixture {
	t.Helper()
	demo := sdktest.Cached(t, "../../resolvers/sops/internal/demo")
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
	s := &sopsFixture{
		command: install(t, sdktest.Cached(t, "../../resolvers/sops/cmd/openclaw-sops-resolver"), map[string]string{"secrets.enc.yaml": string(enc)}),
		keyA:    filepath.Join(dirA, "age-key.txt"),
		keyB:    filepath.Join(dirB, "age-key.txt"),
		openKey: filepath.Join(t.TempDir(), "age-key.txt"),
	}
	for _, key := range []string{s.keyA, s.keyB} {
		data, err := os.ReadFile(key)
		if err != nil {
			t.Fatal(err)
		}
		s.secrets = append(s.secrets, regexp.MustCompile(`AGE-SECRET-KEY-1[0-9A-Z]+`).FindAllString(string(data), -1)...)
	}
	copyFile(t, s.keyA, s.openKey, 0o600)
	if err := os.Chmod(s.openKey, 0o644); err != nil {
		t.Fatal(err)
	}
	// The values, to look for them in doctor's output: the runner reveals
	// them.
	ids := []string{"openai/apiKey", "github/token", "database/url"}
	out, err := exec.Command(runner, append([]string{"--provider", "sops", "--command", s.command,
		"--arg=--file", "--arg=secrets.enc.yaml", "--env", "SOPS_AGE_KEY_FILE=" + s.keyA, "--reveal", "--json", "--"}, ids...)...).Output()
	var got []struct{ Value string }
	if err != nil || json.Unmarshal(out, &got) != nil || len(got) != len(ids) {
		t.Fatalf("revealing the sops values: %v", err)
	}
	for _, r := range got {
		if len(r.Value) < 10 {
			t.Fatalf("a value of %d chars", len(r.Value))
		}
		s.secrets = append(s.secrets, r.Value)
	}
	return s
}

// provider is a block for the sops resolver with this key file.
func (s *sopsFixture) provider(key string) map[string]any {
	return map[string]any{"command": s.command, "args": []string{"--file", "secrets.enc.yaml"},
		"env": map[string]string{"SOPS_AGE_KEY_FILE": key}}
}
