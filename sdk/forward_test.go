//go:build linux || darwin || freebsd

package sdk_test

import (
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// The exec side's forwarding: the agent answers exactly as a cold run
// does, and every way the agent can fail ends in a cold answer, right and
// within the deadline.

const pemValue = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEF\n" +
	"ünïcødé \"quotes\" \\ back\\slash \t tab <&> value-of-tls#key\n-----END PRIVATE KEY-----\n"

func TestAgentAnswersExactlyAsCold(t *testing.T) {
	values := map[string]string{"a": "value-of-a", "tls#key": pemValue, "db/password": "value-of-db/password"}
	bin := installJSONFile(t, map[string]map[string]string{"secrets.json": values})
	cold := host.Provider{Command: bin, Args: []string{"--file", "secrets.json"}}
	verbose := host.Provider{Command: bin, Args: []string{"--file", "secrets.json", "--verbose"}}
	a := sdktest.StartAgent(t, verbose)
	socket := a.Socket
	viaFlag := a.Via(verbose)
	viaEnv := host.Provider{Command: bin, Args: []string{"--file", "secrets.json", "--verbose"}, Env: map[string]string{"EXECREF_AGENT": socket}}

	// Values, NOT_FOUND, invalid ids and duplicates, as a host other than
	// the gateway could send them.
	ids := []string{"a", "missing", "a", "bad id", "../x", "tls#key", "db/password", "missing"}
	want := execBatch(t, cold, ids...)
	if want.ExitCode != 0 || !strings.Contains(string(want.Stdout), `"missing":{"code":"NOT_FOUND"`) || !strings.Contains(string(want.Stdout), `"bad id":{"code":"INVALID_ID"`) {
		t.Fatalf("cold run: exit %d, stdout %s, stderr %s", want.ExitCode, want.Stdout, want.Stderr)
	}
	for name, p := range map[string]host.Provider{"--agent": viaFlag, "EXECREF_AGENT": viaEnv} {
		got := execBatch(t, p, ids...)
		if got.ExitCode != 0 || string(got.Stdout) != string(want.Stdout) {
			t.Errorf("%s: exit %d, stdout\n%s\nwant (cold)\n%s", name, got.ExitCode, got.Stdout, want.Stdout)
		}
		if !strings.Contains(string(got.Stderr), "answered by the agent on "+socket) {
			t.Errorf("%s: the batch did not go through the agent:\n%s", name, got.Stderr)
		}
		noLeak(t, name+"'s stderr", string(got.Stderr), "value-of-", "MIIEvQ")
	}
	// The gateway's own view: the same results.
	coldRes, err1 := gateway.Resolve(t.Context(), "p", cold, []string{"a", "tls#key", "missing"})
	warmRes, err2 := gateway.Resolve(t.Context(), "p", viaFlag, []string{"a", "tls#key", "missing"})
	if err1 != nil || err2 != nil || coldRes["tls#key"].Value != pemValue || warmRes["tls#key"].Value != pemValue ||
		warmRes["a"].Value != "value-of-a" || warmRes["missing"].Err.Error() != coldRes["missing"].Err.Error() {
		t.Errorf("results differ:\ncold %+v (%v)\nagent %+v (%v)", coldRes, err1, warmRes, err2)
	}
	if err := a.Stop(t); err != nil {
		t.Errorf("on SIGTERM: %v", err)
	}
	noLeak(t, "the agent's stderr", a.Log.String(), "value-of-", "MIIEvQ")
}

// A whole-provider failure is the cold run's too: same status, same line.
func TestAgentFailureIsAnsweredAsCold(t *testing.T) {
	bin := installJSONFile(t, nil)
	cold := host.Provider{Command: bin, Args: []string{"--file", "absent.json"}}
	a := sdktest.StartAgent(t, cold)
	via := a.Via(cold)
	want, got := execBatch(t, cold, "a"), execBatch(t, via, "a")
	if want.ExitCode != 78 || got.ExitCode != want.ExitCode || string(got.Stderr) != string(want.Stderr) || len(got.Stdout) != 0 {
		t.Fatalf("via the agent: exit %d stderr %q; cold: exit %d stderr %q", got.ExitCode, got.Stderr, want.ExitCode, want.Stderr)
	}
	if !strings.Contains(a.Log.String(), "absent.json") {
		t.Errorf("the agent did not get the batch:\n%s", a.Log)
	}
}

// agentFixture is a fixture of the agent tests' resolver: every value
// names its id.
func agentFixture(agent map[string]any, ids ...string) map[string]any {
	values := map[string]string{}
	for _, id := range ids {
		values[id] = "value-of-" + id
	}
	return map[string]any{"values": values, "agent": agent}
}

// want is each id's value as agentFixture has it, behind prefix.
func want(prefix string, ids ...string) map[string]string {
	m := map[string]string{}
	for _, id := range ids {
		m[id] = prefix + "value-of-" + id
	}
	return m
}

func TestAgentKilledMidBatchResolvesCold(t *testing.T) {
	bin := installAgentResolver(t, agentFixture(map[string]any{"block": true}, "a", "b/c"))
	a := sdktest.StartAgent(t, host.Provider{Command: bin})
	p := a.Via(host.Provider{Command: bin, Args: []string{"--timeout", "3s", "--verbose"}})

	var run *host.Run
	var wg sync.WaitGroup
	wg.Go(func() { run = wantValues(t, p, want("", "a", "b/c")) })
	waitEvent(t, bin, "agent", "blocked")
	a.Process.Kill()
	wg.Wait()
	if !strings.Contains(string(run.Stderr), "resolving cold: agent connection broke") {
		t.Errorf("the exec side did not say the agent broke:\n%s", run.Stderr)
	}
	if run.Duration >= 3*time.Second {
		t.Errorf("the run took %s, its whole deadline", run.Duration)
	}
	if got := events(t, bin, "exec", "resolve"); len(got) != 1 {
		t.Errorf("cold resolutions %q, want one", got)
	}
}

// The stale socket a killed agent leaves: nothing listens, the exec side
// resolves cold, and the next agent removes it and serves.
func TestStaleSocketResolvesColdAndIsReplaced(t *testing.T) {
	bin := installAgentResolver(t, agentFixture(nil, "a"))
	a := sdktest.StartAgent(t, host.Provider{Command: bin})
	socket := a.Socket
	p := a.Via(host.Provider{Command: bin, Args: []string{"--verbose"}})
	a.Process.Kill()
	if info, err := os.Lstat(socket); err != nil || info.Mode().Type() != os.ModeSocket {
		t.Fatalf("no stale socket after SIGKILL: %v", err)
	}
	run := wantValues(t, p, want("", "a"))
	if !strings.Contains(string(run.Stderr), "resolving cold: no agent: nothing listens on "+socket) {
		t.Errorf("the exec side did not say the socket is stale:\n%s", run.Stderr)
	}
	b := sdktest.StartAgentAt(t, socket, host.Provider{Command: bin})
	b.WaitLog(t, "removed the stale socket "+socket)
	run = wantValues(t, p, want("", "a"))
	if !strings.Contains(string(run.Stderr), "answered by the agent") || len(events(t, bin, "agent", "resolve")) != 1 {
		t.Errorf("the new agent did not answer:\n%s", run.Stderr)
	}
}

// An agent of another user, even with the exec side's configuration, is
// never given a batch.
func TestAgentOfAnotherUserIsRefused(t *testing.T) {
	cred := sdktest.Nobody(t)
	uid, gid := int(cred.Uid), int(cred.Gid)
	// Everything nobody needs: a directory it can traverse holding the
	// binary, and a socket directory of its own.
	shared, err := os.MkdirTemp("", "execref-agent-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(shared) })
	bin := installAgentResolver(t, agentFixture(nil, "a"))
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	nobodysBin := filepath.Join(shared, filepath.Base(bin))
	socketDir := filepath.Join(shared, "run")
	for _, err := range []error{
		os.Chmod(shared, 0o755), sdktest.WriteExecutable(nobodysBin, data),
		os.Mkdir(socketDir, 0o700), os.Chown(socketDir, uid, gid),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	socket := filepath.Join(socketDir, "a.sock")
	p := host.Provider{Command: bin, Args: []string{"--verbose", "--agent", socket}}
	cmd := exec.Command(nobodysBin, "agent", "--socket", socket)
	cmd.Env, cmd.Dir = host.ChildEnv(p, gateway.LookupEnv), shared
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	a := sdktest.StartAgentCommand(t, cmd, socket)

	run := wantValues(t, p, want("", "a"))
	if !strings.Contains(string(run.Stderr), "resolving cold: agent refused: ") || !strings.Contains(string(run.Stderr), "uid "+strconv.Itoa(uid)) {
		t.Errorf("the exec side did not refuse nobody's agent:\n%s", run.Stderr)
	}
	if strings.Contains(a.Log.String(), "batch") || len(events(t, bin, "agent", "resolve")) != 0 {
		t.Errorf("nobody's agent got the batch:\n%s", a.Log)
	}
}

// An agent started with other flags refuses, naming the flag, and the
// exec side answers from its own configuration, never the agent's.
func TestAgentWithOtherFlagsIsRefused(t *testing.T) {
	bin := installJSONFile(t, map[string]map[string]string{
		"secrets.json": {"a": "value-of-a"},
		"agents.json":  {"a": "agents-value-of-a"},
	})
	a := sdktest.StartAgent(t, host.Provider{Command: bin, Args: []string{"--file", "agents.json"}})
	p := a.Via(host.Provider{Command: bin, Args: []string{"--file", "secrets.json", "--verbose"}})
	run := wantValues(t, p, map[string]string{"a": "value-of-a"})
	a.WaitLog(t, "refused a batch")
	for who, text := range map[string]string{"the exec side's --verbose": string(run.Stderr), "the agent's log": a.Log.String()} {
		if !strings.Contains(text, "another configuration than the caller's (differs in flag --file)") {
			t.Errorf("%s does not name --file:\n%s", who, text)
		}
		noLeak(t, who, text, "value-of-a", "secrets.json", "agents.json")
	}
	if !strings.Contains(string(run.Stderr), "resolving cold: agent refused") {
		t.Errorf("the exec side did not resolve cold:\n%s", run.Stderr)
	}
}

// Likewise for the environment: a variable that differs, one only the
// exec side has and one only the agent has are named, never shown.
func TestAgentWithOtherEnvironmentIsRefused(t *testing.T) {
	bin := installAgentResolver(t, agentFixture(nil, "a"))
	a := sdktest.StartAgent(t, host.Provider{Command: bin, Env: map[string]string{"VALUE_PREFIX": "agent-prefix-", "ONLY_AGENT": "only-agent-value"}})
	p := a.Via(host.Provider{Command: bin, Args: []string{"--verbose"}, Env: map[string]string{"VALUE_PREFIX": "exec-prefix-", "ONLY_EXEC": "only-exec-value"}})
	run := wantValues(t, p, want("exec-prefix-", "a"))
	a.WaitLog(t, "refused a batch")
	const why = "(differs in env VALUE_PREFIX; only the caller has env ONLY_EXEC; only the agent has env ONLY_AGENT)"
	for who, text := range map[string]string{"the exec side's --verbose": string(run.Stderr), "the agent's log": a.Log.String()} {
		if !strings.Contains(text, why) {
			t.Errorf("%s does not name the variables:\n%s", who, text)
		}
		noLeak(t, who, text, "value-of-a", "exec-prefix-", "agent-prefix-", "only-exec-value", "only-agent-value")
	}
	if got := events(t, bin, "agent", "resolve"); len(got) != 0 {
		t.Errorf("the agent resolved %q", got)
	}
}

// An agent slower than half the deadline: the exec side stops waiting
// and answers every id cold, within its deadline.
func TestSlowAgentResolvesColdWithinTheDeadline(t *testing.T) {
	bin := installAgentResolver(t, agentFixture(map[string]any{"delays": map[string]string{"a": "5s", "b": "5s"}}, "a", "b"))
	a := sdktest.StartAgent(t, host.Provider{Command: bin})
	p := a.Via(host.Provider{Command: bin, Args: []string{"--timeout", "1s", "--verbose"}})
	run := wantValues(t, p, want("", "a", "b"))
	// The agent either missed its half of the deadline or answered every
	// id TIMEOUT just before it: both end in a cold answer.
	if s := string(run.Stderr); !strings.Contains(s, "resolving cold: agent did not answer in time") && !strings.Contains(s, "resolving 2 ids cold") {
		t.Errorf("the exec side did not resolve cold:\n%s", s)
	}
	if run.Duration > 2*time.Second {
		t.Errorf("the run took %s with --timeout 1s", run.Duration)
	}
}

// Ids the agent answers TIMEOUT (its own --timeout is short) are resolved
// cold; the others are the agent's.
func TestAgentTimeoutIDsResolvedCold(t *testing.T) {
	bin := installAgentResolver(t, agentFixture(map[string]any{"delays": map[string]string{"slow": "3s"}}, "fast", "slow"))
	a := sdktest.StartAgent(t, host.Provider{Command: bin, Args: []string{"--timeout", "300ms"}})
	p := a.Via(host.Provider{Command: bin, Args: []string{"--timeout", "4s", "--verbose"}})
	run := wantValues(t, p, want("", "fast", "slow"))
	if !strings.Contains(string(run.Stderr), "resolving 1 ids cold that the agent did not resolve in time") {
		t.Errorf("the exec side did not resolve the late id cold:\n%s", run.Stderr)
	}
	if got := events(t, bin, "exec", "resolve"); len(got) != 1 || got[0] != "resolve slow" {
		t.Errorf("cold resolutions %q, want the late id only", got)
	}
}

func TestAgentFailingTheBatchResolvesCold(t *testing.T) {
	bin := installAgentResolver(t, agentFixture(map[string]any{"fail": "UNAVAILABLE"}, "a"))
	a := sdktest.StartAgent(t, host.Provider{Command: bin})
	p := a.Via(host.Provider{Command: bin, Args: []string{"--verbose"}})
	run := wantValues(t, p, want("", "a"))
	if !strings.Contains(string(run.Stderr), "resolving cold: the agent on "+a.Socket+" failed the batch (exit status 69)") {
		t.Errorf("the exec side did not resolve cold:\n%s", run.Stderr)
	}
	if len(events(t, bin, "agent", "resolve")) != 1 || len(events(t, bin, "exec", "resolve")) != 1 {
		t.Errorf("record:\n%s", strings.Join(record(t, bin), "\n"))
	}
}

// No agent at all: cold, as without --agent.
func TestNoAgentResolvesCold(t *testing.T) {
	bin := installAgentResolver(t, agentFixture(nil, "a"))
	socket := socketPath(t)
	run := wantValues(t, host.Provider{Command: bin, Args: []string{"--verbose", "--agent", socket}}, want("", "a"))
	if !strings.Contains(string(run.Stderr), "resolving cold: no agent at "+socket) {
		t.Errorf("stderr:\n%s", run.Stderr)
	}
}

// fakeAgent answers every call with reply, the raw text of the agent's
// wire, on a socket as an agent's (the user's, 0600), without checking
// the configuration: an agent of another build of the resolver.
type fakeAgent struct {
	reply string
	calls atomic.Int32
}

func serveFake(t *testing.T, socket string, f *fakeAgent) {
	t.Helper()
	lis, err := net.Listen("unix", socket)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(socket, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lis.Close() })
	go func() {
		for {
			conn, err := lis.Accept()
			if err != nil {
				return
			}
			if _, err := io.ReadAll(conn); err == nil {
				f.calls.Add(1)
				io.WriteString(conn, f.reply)
			}
			conn.Close()
		}
	}()
}

// An answer a cold run could not give is never passed on: the exec side
// resolves cold.
func TestAgentAnswerOfAnotherShapeResolvesCold(t *testing.T) {
	const notFound = `{"code":"NOT_FOUND","message":"no such id"}`
	for name, reply := range map[string]string{
		"another protocol version":      `{"response":{"protocolVersion":2,"values":{"a":"agents-value-of-a"},"errors":{"b":` + notFound + `}}}`,
		"an id unanswered":              `{"response":{"protocolVersion":1,"values":{"a":"agents-value-of-a"}}}`,
		"an id not asked":               `{"response":{"protocolVersion":1,"values":{"a":"agents-value-of-a","b":"agents-value-of-b","c":"agents-value-of-c"}}}`,
		"an id answered twice":          `{"response":{"protocolVersion":1,"values":{"a":"agents-value-of-a","b":"agents-value-of-b"},"errors":{"a":` + notFound + `}}}`,
		"an error of no known code":     `{"response":{"protocolVersion":1,"values":{"a":"agents-value-of-a"},"errors":{"b":{"code":"GONE","message":"agents-value-of-b"}}}}`,
		"a value not a string":          `{"response":{"protocolVersion":1,"values":{"a":{"v":"agents-value-of-a"},"b":"agents-value-of-b"}}}`,
		"a reply not JSON":              `{"response":{"protocolVersion":1,"values":{"a":agents-value-of-a,"b":"agents-value-of-b"}}}`,
		"two documents":                 `{"response":{"protocolVersion":1,"values":{"a":"agents-value-of-a","b":"agents-value-of-b"}}} {}`,
		"a member not known":            `{"answer":{"protocolVersion":1,"values":{"a":"agents-value-of-a","b":"agents-value-of-b"}}}`,
		"both a response and a refusal": `{"response":{"protocolVersion":1,"values":{"a":"agents-value-of-a","b":"agents-value-of-b"}},"refused":"no"}`,
		"nothing set":                   `{}`,
	} {
		t.Run(name, func(t *testing.T) {
			bin := installAgentResolver(t, agentFixture(nil, "a", "b"))
			socket := socketPath(t)
			f := &fakeAgent{reply: reply}
			serveFake(t, socket, f)
			run := wantValues(t, host.Provider{Command: bin, Args: []string{"--verbose", "--agent", socket}}, want("", "a", "b"))
			if f.calls.Load() != 1 || !strings.Contains(string(run.Stderr), "resolving cold: ") {
				t.Errorf("the fake agent was called %d times; stderr:\n%s", f.calls.Load(), run.Stderr)
			}
			noLeak(t, "stderr", string(run.Stderr), "value-of-")
		})
	}
}

// An agent of another build (started before an upgrade) is refused like
// one of another configuration: the digest names the build.
func TestAgentOfAnotherBuildIsRefused(t *testing.T) {
	bin := installAgentResolver(t, agentFixture(nil, "a"))
	other := filepath.Join(t.TempDir(), "agentresolver")
	// The linker flags are recorded in the binary's build settings: another
	// build of the same code, at the cost of a link.
	if out, err := exec.Command("go", "build", "-ldflags=-X main.build=other", "-o", other, "./testdata/agentresolver").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	a := sdktest.StartAgent(t, host.Provider{Command: other})
	p := a.Via(host.Provider{Command: bin, Args: []string{"--verbose"}})
	run := wantValues(t, p, want("", "a"))
	if !strings.Contains(string(run.Stderr), "resolving cold: agent refused") || !strings.Contains(string(run.Stderr), "(differs in program build)") {
		t.Errorf("the exec side did not refuse the other build:\n%s", run.Stderr)
	}
	a.WaitLog(t, "refused a batch: the agent runs with another configuration than the caller's (differs in program build)")
}
