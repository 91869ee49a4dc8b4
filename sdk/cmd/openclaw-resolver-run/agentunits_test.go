//go:build unix

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/sdk/agent"
	"github.com/execref/execref/sdk/sdktest"
)

// The shipped unit files, as the packages install them.
const (
	systemdUnit  = "../../../packaging/agent/systemd/openclaw-resolver-agent@.service"
	launchdPlist = "../../../packaging/agent/launchd/dev.execref.openclaw-resolver-agent.plist"
)

// unitFile is a systemd unit: section → key → values, in order.
type unitFile map[string]map[string][]string

// readUnit parses a unit file as far as ours use the syntax: sections,
// KEY=VALUE lines, # and ; comments. A line continuation, which ours do
// not use, is refused rather than misread.
func readUnit(t *testing.T, path string) unitFile {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	u := unitFile{}
	section := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
		case strings.HasSuffix(line, `\`):
			t.Fatalf("%s:%d: a continued line", path, n)
		case line[0] == '[' && line[len(line)-1] == ']':
			section = line[1 : len(line)-1]
			u[section] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || section == "" {
				t.Fatalf("%s:%d: not KEY=VALUE in a section: %q", path, n, line)
			}
			u[section][strings.TrimSpace(k)] = append(u[section][strings.TrimSpace(k)], strings.TrimSpace(v))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return u
}

// one is the single value of section's key.
func (u unitFile) one(t *testing.T, section, key string) string {
	t.Helper()
	v := u[section][key]
	if len(v) != 1 {
		t.Fatalf("[%s] %s: %q, want one value", section, key, v)
	}
	return v[0]
}

// execStart is the unit's command line for instance, %i substituted as
// systemd does for a provider name (which needs no unescaping). Quotes
// and other specifiers, which it should not need, are refused.
func (u unitFile) execStart(t *testing.T, instance string) []string {
	t.Helper()
	line := u.one(t, "Service", "ExecStart")
	if strings.ContainsAny(line, `"'\`) || strings.Count(line, "%") != strings.Count(line, "%i") {
		t.Fatalf("ExecStart=%s: quotes, escapes or specifiers other than %%i", line)
	}
	return strings.Fields(strings.ReplaceAll(line, "%i", instance))
}

// plistValue reads the plist value starting at start: dict, array,
// string, integer, true or false.
func plistValue(d *xml.Decoder, start xml.StartElement) (any, error) {
	switch start.Name.Local {
	case "string", "integer":
		var s string
		err := d.DecodeElement(&s, &start)
		return s, err
	case "true", "false":
		return start.Name.Local == "true", d.Skip()
	case "array":
		var items []any
		for {
			tok, err := d.Token()
			if err != nil {
				return nil, err
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				v, err := plistValue(d, tok)
				if err != nil {
					return nil, err
				}
				items = append(items, v)
			case xml.EndElement:
				return items, nil
			}
		}
	case "dict":
		dict := map[string]any{}
		key := ""
		for {
			tok, err := d.Token()
			if err != nil {
				return nil, err
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				if tok.Name.Local == "key" {
					if err := d.DecodeElement(&key, &tok); err != nil {
						return nil, err
					}
					continue
				}
				if key == "" {
					return nil, fmt.Errorf("<%s> without a <key>", tok.Name.Local)
				}
				v, err := plistValue(d, tok)
				if err != nil {
					return nil, err
				}
				if _, dup := dict[key]; dup {
					return nil, fmt.Errorf("key %s twice", key)
				}
				dict[key], key = v, ""
			case xml.EndElement:
				return dict, nil
			}
		}
	}
	return nil, fmt.Errorf("unexpected <%s>", start.Name.Local)
}

// readPlist parses a property list's top dict with encoding/xml (strict:
// a malformed file, such as "--" in a comment, fails).
func readPlist(t *testing.T, text string) map[string]any {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(text))
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			t.Fatal("no <plist>")
		}
		if err != nil {
			t.Fatal(err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "plist" {
			for {
				tok, err := d.Token()
				if err != nil {
					t.Fatal(err)
				}
				if se, ok := tok.(xml.StartElement); ok {
					v, err := plistValue(d, se)
					if err != nil {
						t.Fatal(err)
					}
					dict, ok := v.(map[string]any)
					if !ok {
						t.Fatalf("the plist holds a %T, not a dict", v)
					}
					return dict
				}
			}
		}
	}
}

// The systemd unit and the launchd agent, installed as the packages and
// docs/agent.md say, start the provider's agent with the environment a
// service manager gives (which is not the gateway's), and the gateway's
// runs of the provider, forwarding to it, are answered by it with the
// values a cold run gives. First the command refuses, with the line to add
// to the provider block, because the block names no socket; the test adds
// that line, as a user would. A run whose environment differs is refused
// by the agent, names the variable, and is resolved cold.
func TestAgentStartedByTheUnits(t *testing.T) {
	s := newSopsSetup(t)
	stdout, stderr, code := runBinary(t, s.runner, nil, s.args("SOPS_AGE_KEY_FILE="+s.keyA, "--reveal", "--json")...)
	if code != exitOK {
		t.Fatalf("cold: status %d, stderr %s", code, stderr)
	}
	cold := revealed(t, stdout)
	if len(cold) != len(sopsIDs) {
		t.Fatalf("cold: %d values", len(cold))
	}

	t.Run("systemd", func(t *testing.T) {
		unit := readUnit(t, systemdUnit)
		for _, kv := range [][3]string{
			{"Service", "Restart", "always"},
			{"Service", "NoNewPrivileges", "yes"},
			{"Install", "WantedBy", "default.target"},
		} {
			if got := unit.one(t, kv[0], kv[1]); got != kv[2] {
				t.Errorf("[%s] %s=%s, want %s", kv[0], kv[1], got, kv[2])
			}
		}
		for _, key := range []string{"PrivateTmp", "ProtectHome", "ProtectSystem", "MemoryDenyWriteExecute"} {
			if v, ok := unit["Service"][key]; ok {
				t.Errorf("[Service] %s=%s: it needs a user namespace or breaks a resolver (see the unit's comments)", key, v)
			}
		}
		argv := unit.execStart(t, "sops")
		// The .deb installs the runner in /usr/bin (.goreleaser.yaml's bindir).
		if len(argv) != 3 || argv[0] != "/usr/bin/openclaw-resolver-run" || argv[1] != "agent" || argv[2] != "sops" {
			t.Fatalf("ExecStart for instance sops: %q", argv)
		}
		home, runtime := sdktest.ShortDir(t), sdktest.ShortDir(t)
		if err := os.Chmod(runtime, 0o700); err != nil {
			t.Fatal(err)
		}
		// What a user manager gives its services, and the directory it
		// starts them in: the home directory.
		env := []string{"HOME=" + home, "XDG_RUNTIME_DIR=" + runtime, "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "USER=me", "INVOCATION_ID=0123456789abcdef"}
		testUnitAgent(t, s, cold, home, home, env, filepath.Join(runtime, "execref", "openclaw-sops-resolver@sops.sock"),
			append([]string{s.runner}, argv[1:]...))
	})

	t.Run("launchd", func(t *testing.T) {
		data, err := os.ReadFile(launchdPlist)
		if err != nil {
			t.Fatal(err)
		}
		home, prefix := sdktest.ShortDir(t), sdktest.ShortDir(t)
		// Homebrew's bin/ holds symlinks into its Cellar.
		if err := os.Mkdir(filepath.Join(prefix, "bin"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(s.runner, filepath.Join(prefix, "bin", "openclaw-resolver-run")); err != nil {
			t.Fatal(err)
		}
		// The substitutions the plist's comment and docs/agent.md make.
		text := strings.NewReplacer("@HOMEBREW_PREFIX@", prefix, "@HOME@", home, "@PROVIDER@", "sops").Replace(string(data))
		if left := regexp.MustCompile(`@[A-Z_]+@`).FindString(text); left != "" {
			t.Fatalf("placeholder %s left after the documented substitutions", left)
		}
		plist := readPlist(t, text)
		want := map[string]any{
			"Label":             "dev.execref.openclaw-resolver-agent.sops",
			"RunAtLoad":         true,
			"KeepAlive":         true,
			"StandardErrorPath": filepath.Join(home, "Library/Logs/openclaw-resolver-agent.sops.log"),
		}
		for key, v := range want {
			if plist[key] != v {
				t.Errorf("%s: %v, want %v", key, plist[key], v)
			}
		}
		items, _ := plist["ProgramArguments"].([]any)
		var argv []string
		for _, it := range items {
			s, _ := it.(string)
			argv = append(argv, s)
		}
		if len(argv) != 3 || argv[0] != filepath.Join(prefix, "bin/openclaw-resolver-run") || argv[1] != "agent" || argv[2] != "sops" {
			t.Fatalf("ProgramArguments: %q", argv)
		}
		// What launchd gives a user's agent; no XDG_RUNTIME_DIR on macOS,
		// so the socket goes to the OpenClaw state directory. Its
		// working directory is /.
		env := []string{"HOME=" + home, "PATH=/usr/bin:/bin:/usr/sbin:/sbin", "USER=me", "LOGNAME=me", "SHELL=/bin/zsh", "TMPDIR=" + os.TempDir(), "XPC_SERVICE_NAME=dev.execref.openclaw-resolver-agent.sops"}
		testUnitAgent(t, s, cold, home, "/", env, filepath.Join(home, ".openclaw", "agent", "openclaw-sops-resolver@sops.sock"), argv)
	})
}

// testUnitAgent runs argv (the unit's command line) in dir with env,
// whose HOME is home, and checks everything TestAgentStartedByTheUnits
// says. wantSocket is where the refusal must propose the socket.
func testUnitAgent(t *testing.T, s *sopsSetup, cold map[string]string, home, dir string, env []string, wantSocket string, argv []string) {
	t.Helper()
	state := filepath.Join(home, ".openclaw")
	if err := os.Mkdir(state, 0o700); err != nil {
		t.Fatal(err)
	}
	writeAgentConfig(t, state, s, "")

	// Without EXECREF_AGENT in the provider's env the runner refuses
	// before any agent listens, and names the socket to add.
	var refused sdktest.Buffer
	cmd := serviceCommand(argv, dir, env)
	cmd.Stderr = &refused
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	proc, err := agent.StartCommand(ctx, cmd, wantSocket)
	cancel()
	if err == nil {
		proc.Kill()
		t.Fatalf("an agent listens on %s without EXECREF_AGENT in the provider's env:\n%s", wantSocket, &refused)
	}
	snippet := regexp.MustCompile(`(?m)^  "env": \{"EXECREF_AGENT": ("[^"]+")\}$`).FindStringSubmatch(refused.String())
	var pe *agent.ProcessError
	if !errors.Is(err, agent.ErrExitedEarly) || !errors.As(err, &pe) || pe.ExitCode() != exitConfig || snippet == nil {
		t.Fatalf("no socket named: %v, want exit %d and the line to add:\n%s", err, exitConfig, &refused)
	}
	var socket string
	if err := json.Unmarshal([]byte(snippet[1]), &socket); err != nil || socket != wantSocket {
		t.Fatalf("proposed socket %s (%v), want %s", snippet[1], err, wantSocket)
	}
	writeAgentConfig(t, state, s, socket)

	a := sdktest.StartAgentCommand(t, serviceCommand(argv, dir, env), socket)
	a.WaitLog(t, "openclaw-sops-resolver: agent: listening on "+socket+" ")
	if !strings.Contains(a.Log.String(), `openclaw-resolver-run agent: provider "sops" from `+filepath.Join(state, "openclaw.json")+": running "+s.command+" with 4 args then agent in "+filepath.Dir(s.command)+", its environment (names only): EXECREF_AGENT, OPENCLAW_CLI, SOPS_AGE_KEY_FILE; the agent listens on "+socket+"\n") {
		t.Errorf("the runner did not say what it starts:\n%s", a.Log)
	}

	// The gateway's run of the provider, forwarding to the agent.
	gateway := func(extraEnv ...string) (map[string]string, string) {
		t.Helper()
		args := append([]string{"--config", "--provider", "sops", "--gateway-cwd", home, "--verbose", "--reveal", "--json"}, sopsIDs...)
		stdout, stderr, code := runBinary(t, s.runner, append(env[:len(env):len(env)], extraEnv...), args...)
		if code != exitOK {
			t.Fatalf("the gateway's run: status %d\n%s", code, stderr)
		}
		for _, secret := range s.secrets {
			if strings.Contains(stderr, secret) {
				t.Errorf("a secret of %d chars is in the run's stderr", len(secret))
			}
		}
		return revealed(t, stdout), stderr
	}
	got, stderr := gateway()
	if !strings.Contains(stderr, "openclaw-sops-resolver: answered by the agent on "+socket+" in ") {
		t.Errorf("not answered by the agent:\n%s", stderr)
	}
	if !maps.Equal(got, cold) {
		t.Errorf("the agent's values differ from a cold run's")
	}

	// Another key file path: the environment differs, the agent refuses,
	// the run resolves cold with the right values.
	other := filepath.Join(sdktest.ShortDir(t), "age-key.txt")
	key, err := os.ReadFile(s.keyA)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, key, 0o600); err != nil {
		t.Fatal(err)
	}
	got, stderr = gateway("SOPS_AGE_KEY_FILE=" + other)
	if !regexp.MustCompile(`openclaw-sops-resolver: resolving cold: .*differs in env SOPS_AGE_KEY_FILE[;)]`).MatchString(stderr) {
		t.Errorf("a run with another environment was not refused and resolved cold:\n%s", stderr)
	}
	if !maps.Equal(got, cold) {
		t.Errorf("the cold values after a refusal differ from a cold run's")
	}
	a.WaitLog(t, "openclaw-sops-resolver: agent: refused a batch: ")
	if !regexp.MustCompile(`refused a batch: .*differs in env SOPS_AGE_KEY_FILE[;)]`).MatchString(a.Log.String()) {
		t.Errorf("the agent's log does not name the variable:\n%s", a.Log)
	}

	if err := a.Stop(t); err != nil {
		t.Errorf("stopped by SIGTERM: %v, want exit 0\n%s", err, a.Log)
	}
	if _, err := os.Lstat(socket); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the socket remains after the agent stopped: %v", err)
	}
	for _, secret := range s.secrets {
		if strings.Contains(a.Log.String()+refused.String(), secret) {
			t.Errorf("a secret of %d chars is in the agent's log", len(secret))
		}
	}
}

// systemd itself loads the unit without a complaint, as a user manager
// would: systemd-analyze verify on the template, for an instance, with
// ExecStart's binary present (the runner's path in place of /usr/bin's).
// Its warnings, such as a value it ignores, fail the test too. Skipped
// where systemd is not installed.
func TestSystemdLoadsTheUnit(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	runner := sdktest.Cached(t, "github.com/execref/execref/sdk/cmd/openclaw-resolver-run")
	data, err := os.ReadFile(systemdUnit)
	if err != nil {
		t.Fatal(err)
	}
	dir, runtime := t.TempDir(), sdktest.ShortDir(t)
	if err := os.Chmod(runtime, 0o700); err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(data), "/usr/bin/openclaw-resolver-run", runner)
	if err := os.WriteFile(filepath.Join(dir, filepath.Base(systemdUnit)), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(analyze, "--user", "--man=no", "verify", filepath.Join(dir, "openclaw-resolver-agent@sops.service"))
	cmd.Env = []string{"HOME=" + dir, "XDG_RUNTIME_DIR=" + runtime, "PATH=/usr/bin:/bin"}
	out, err := cmd.CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
}
