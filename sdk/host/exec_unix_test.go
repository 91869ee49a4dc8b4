//go:build unix

package host

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/sdk/policy"
)

const label = "secrets.providers.vault.command"

// Every policy rule is enforced by Exec before anything runs: each case's
// command would create a marker file if it ran.
func TestExecPolicy(t *testing.T) {
	dir := tempDir(t)
	marker := filepath.Join(dir, "ran")
	body := ": > " + marker + "\n"
	good := script(t, dir, "good", body)
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(good, link); err != nil {
		t.Fatal(err)
	}
	groupWritable := script(t, dir, "gw", body)
	if err := os.Chmod(groupWritable, 0o775); err != nil {
		t.Fatal(err)
	}
	notExec := script(t, dir, "noexec", body)
	if err := os.Chmod(notExec, 0o644); err != nil {
		t.Fatal(err)
	}
	theirs := script(t, dir, "theirs", body)
	chownErr := os.Chown(theirs, 12345, -1)
	uid := strconv.Itoa(os.Getuid())

	cases := []struct {
		name    string
		command string
		trusted []string
		rule    error
		msg     string
	}{
		{"symlink", link, nil, policy.ErrSymlink, label + " must not be a symlink: " + link},
		{"directory", bin, nil, policy.ErrDirectory, label + " must be a file: " + bin},
		{"missing", filepath.Join(dir, "missing"), nil, policy.ErrNotReadable, label + " is not readable: " + filepath.Join(dir, "missing")},
		{"outside trustedDirs", good, []string{bin}, policy.ErrOutsideTrustedDirs, label + " is outside trustedDirs: " + good},
		{"0775", groupWritable, nil, policy.ErrTooOpen, label + " permissions are too open: " + groupWritable},
		{"0644", notExec, nil, policy.ErrNotExecutable, label + " must be executable by its owner: " + notExec},
		{"owner", theirs, nil, policy.ErrOwner, label + " must be owned by the current user (uid=" + uid + "): " + theirs},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.rule == policy.ErrOwner && chownErr != nil {
				if os.Getuid() != 0 {
					t.Skipf("cannot chown: %v", chownErr)
				}
				t.Fatal(chownErr)
			}
			p := quick(c.command)
			p.TrustedDirs = c.trusted
			run, err := runner(nil).Exec(context.Background(), "vault", p, nil)
			if run != nil {
				t.Error("a Run for a command that must not start")
			}
			if !errors.Is(err, c.rule) || err.Error() != c.msg {
				t.Fatalf("got %v, want %q", err, c.msg)
			}
			var pe *policy.Error
			if !errors.As(err, &pe) {
				t.Fatalf("%T is not a *policy.Error", err)
			}
			if UserCode(err) != CodeProviderUnavailable {
				t.Errorf("UserCode %s", UserCode(err))
			}
			if exists(marker) {
				t.Fatal("the command ran")
			}
		})
	}
}

// The policy runs before every run, not once per Runner.
func TestExecPolicyEveryRun(t *testing.T) {
	dir := tempDir(t)
	cmd := script(t, dir, "r", "echo ok\n")
	r := runner(nil)
	if _, err := r.Exec(context.Background(), "vault", quick(cmd), nil); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(cmd, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Exec(context.Background(), "vault", quick(cmd), nil); !errors.Is(err, policy.ErrTooOpen) {
		t.Fatalf("second run: %v", err)
	}
}

// The gateway refuses a relative or "~" command when it validates the
// config, so the runner does too (policy rule 1), before it looks for the
// file: even one that exists relative to the cwd or to HOME is refused.
// An absolute command is trimmed and cleaned, then run.
func TestExecCommandMustBeAbsolute(t *testing.T) {
	home := tempDir(t)
	binDir := filepath.Join(home, "bin")
	if err := os.Mkdir(binDir, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := script(t, binDir, "r", `printf '%s' "$0"`)
	t.Chdir(home)
	r := &Runner{LookupEnv: mapLookup(map[string]string{"HOME": home})}
	for _, c := range []string{"bin/r", "./bin/r", "~/bin/r", " ~/bin/r ", "~"} {
		run, err := r.Exec(context.Background(), "vault", quick(c), nil)
		if !errors.Is(err, policy.ErrNotAbsolute) || run != nil ||
			err.Error() != "secrets.providers.*.command must be an absolute path." {
			t.Errorf("%q: %v, ran %v", c, err, run != nil)
		}
	}
	for _, c := range []string{binDir + "/../bin/r", " " + cmd + "\n", binDir + "//r"} {
		run, err := r.Exec(context.Background(), "vault", quick(c), nil)
		if err != nil || run.Command != cmd || string(run.Stdout) != cmd {
			t.Errorf("%q: %v, %+v", c, err, run)
		}
	}
}

// The child's environment is exactly passEnv (when set) + env +
// OPENCLAW_CLI=1. A copy of env(1) as the command prints it with no shell
// in between.
func TestExecEnvironment(t *testing.T) {
	dir := tempDir(t)
	envBin := filepath.Join(dir, "env")
	data, err := os.ReadFile("/usr/bin/env")
	if err != nil {
		t.Skip("no /usr/bin/env to copy")
	}
	if err := os.WriteFile(envBin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	gateway := map[string]string{
		"VAULT_ADDR": "https://vault:8200", "VAULT_TOKEN": "", "SHADOWED": "from-gateway",
		"PATH": "/usr/bin:/bin", "HOME": "/root", "OPENCLAW_CLI": "0", "NOT_PASSED": "x",
	}
	p := quick(envBin)
	p.PassEnv = []string{"VAULT_ADDR", "VAULT_TOKEN", "UNSET_VAR", "SHADOWED", "OPENCLAW_CLI"}
	p.Env = map[string]string{"SHADOWED": "from-config", "VAULT_NAMESPACE": "team a", "OPENCLAW_CLI": "no"}
	run, err := runner(gateway).Exec(context.Background(), "vault", p, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(string(run.Stdout), "\n"), "\n")
	want := []string{"OPENCLAW_CLI=1", "SHADOWED=from-config", "VAULT_ADDR=https://vault:8200", "VAULT_NAMESPACE=team a", "VAULT_TOKEN="}
	slices.Sort(got)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("child env %q, want %q", got, want)
	}

	// Nothing of the test process's own environment leaks either.
	run, err = (&Runner{}).Exec(context.Background(), "vault", quick(envBin), nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(run.Stdout) != "OPENCLAW_CLI=1\n" {
		t.Fatalf("default runner env: %q", run.Stdout)
	}
}

// The same through a shell, as a resolver script sees it: export -p lists
// the exported variables (dash adds PWD itself).
func TestExecEnvironmentShell(t *testing.T) {
	dir := tempDir(t)
	cmd := script(t, dir, "r", "export -p\n")
	p := quick(cmd)
	p.PassEnv = []string{"VAULT_ADDR"}
	run, err := runner(map[string]string{"VAULT_ADDR": "a", "PATH": "/bin", "HOME": "/root"}).Exec(context.Background(), "vault", p, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := string(run.Stdout)
	for _, want := range []string{"OPENCLAW_CLI=", "VAULT_ADDR="} {
		if !strings.Contains(out, want) {
			t.Errorf("%q missing from %q", want, out)
		}
	}
	for _, leak := range []string{"PATH", "HOME"} {
		if strings.Contains(out, " "+leak+"=") {
			t.Errorf("%s leaked: %q", leak, out)
		}
	}
}

func TestExecCwdArgsStdin(t *testing.T) {
	dir := tempDir(t)
	sub := filepath.Join(dir, "sub dir")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := script(t, sub, "r", `pwd; printf '[%s]' "$@"; echo; /bin/cat`)
	p := quick(cmd)
	p.Args = []string{"--mount", "a b", "$(touch x)", "*", ""}
	stdin := []byte(`{"protocolVersion":1,"provider":"vault","ids":["a"]}`)
	run, err := runner(nil).Exec(context.Background(), "vault", p, stdin)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(run.Stdout), "\n", 3)
	if lines[0] != sub {
		t.Errorf("cwd %q, want %q", lines[0], sub)
	}
	if lines[1] != "[--mount][a b][$(touch x)][*][]" {
		t.Errorf("argv %q", lines[1])
	}
	if lines[2] != string(stdin) {
		t.Errorf("stdin %q, want exactly %q", lines[2], stdin)
	}
	if exists(filepath.Join(sub, "x")) {
		t.Error("an argument was interpreted by a shell")
	}
	if run.ExitCode != 0 || run.Signal != "" || run.Duration <= 0 {
		t.Errorf("status %d %q %v", run.ExitCode, run.Signal, run.Duration)
	}
}

// A large request reaches a resolver that reads it, and one that never
// reads stdin does not stall the run.
func TestExecStdinLarge(t *testing.T) {
	dir := tempDir(t)
	big := []byte(strings.Repeat("x", 300_000))
	echo := script(t, dir, "echo", "/bin/cat\n")
	p := quick(echo)
	run, err := runner(nil).Exec(context.Background(), "vault", p, big)
	if err != nil || len(run.Stdout) != len(big) {
		t.Fatalf("echo: %v, %d bytes", err, len(run.Stdout))
	}
	deaf := script(t, dir, "deaf", "echo done\n")
	run, err = runner(nil).Exec(context.Background(), "vault", quick(deaf), big)
	if err != nil || string(run.Stdout) != "done\n" {
		t.Fatalf("deaf: %v, %q", err, run.Stdout)
	}
}

func TestExecTimeoutKillsGroup(t *testing.T) {
	dir := tempDir(t)
	pidFile := filepath.Join(dir, "pid")
	cmd := script(t, dir, "r", `/bin/sleep 30 &
echo $! > "$1"
echo started
/bin/sleep 30
`)
	p := quick(cmd)
	p.Args = []string{pidFile}
	p.TimeoutMs = 300
	start := time.Now()
	run, err := runner(nil).Exec(context.Background(), "vault", p, nil)
	elapsed := time.Since(start)
	if !errors.Is(err, ErrTimeout) || err.Error() != `Exec provider "vault" timed out after 300ms.` {
		t.Fatalf("got %v", err)
	}
	if run == nil || run.Signal != "SIGKILL" || run.ExitCode != -1 || string(run.Stdout) != "started\n" {
		t.Fatalf("run %+v", run)
	}
	if elapsed < 300*time.Millisecond || elapsed > 2*time.Second {
		t.Fatalf("took %v", elapsed)
	}
	waitDead(t, readPid(t, pidFile))
}

// A grandchild that keeps the pipes open keeps the run alive after the
// resolver exits, until a timer fires, as in the gateway; one that
// releases them does not.
func TestExecWaitsForPipes(t *testing.T) {
	dir := tempDir(t)
	pidFile := filepath.Join(dir, "pid")
	holder := script(t, dir, "holder", `/bin/sleep 30 &
echo $! > "$1"
echo '{"protocolVersion":1,"values":{}}'
exit 0
`)
	p := quick(holder)
	p.Args = []string{pidFile}
	p.TimeoutMs = 300
	run, err := runner(nil).Exec(context.Background(), "vault", p, nil)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("got %v", err)
	}
	if run.ExitCode != 0 {
		t.Fatalf("the resolver itself exited %d", run.ExitCode)
	}
	waitDead(t, readPid(t, pidFile))

	releaser := script(t, dir, "releaser", `/bin/sleep 30 >/dev/null 2>&1 &
echo $! > "$1"
echo ok
`)
	p = quick(releaser)
	p.Args = []string{pidFile + "2"}
	start := time.Now()
	if _, err := runner(nil).Exec(context.Background(), "vault", p, nil); err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > time.Second {
		t.Fatalf("a background process without the pipes held the run for %v", time.Since(start))
	}
	pid := readPid(t, pidFile+"2")
	t.Cleanup(func() { _ = killPid(pid) })
}

func TestExecNoOutputTimeout(t *testing.T) {
	dir := tempDir(t)
	// Output every 100 ms for ~0.8 s, well past the 300 ms idle limit but
	// within the total: each chunk re-arms the idle timer.
	loop := func(redirect string) string {
		return `i=0
while [ $i -lt 8 ]; do printf . ` + redirect + `; /bin/sleep 0.1; i=$((i+1)); done
echo '{"protocolVersion":1,"values":{}}'
`
	}
	for _, c := range []struct{ name, redirect string }{{"stderr", ">&2"}, {"stdout", ""}} {
		t.Run(c.name, func(t *testing.T) {
			p := quick(script(t, dir, "chatty-"+c.name, loop(c.redirect)))
			p.TimeoutMs, p.NoOutputTimeoutMs = 3000, 300
			run, err := runner(nil).Exec(context.Background(), "vault", p, nil)
			if err != nil {
				t.Fatalf("%v (stderr %q)", err, run.Stderr)
			}
			if run.Duration < 700*time.Millisecond {
				t.Fatalf("ran only %v", run.Duration)
			}
		})
	}

	silent := quick(script(t, dir, "silent", "/bin/sleep 1\n"))
	silent.TimeoutMs, silent.NoOutputTimeoutMs = 3000, 200
	run, err := runner(nil).Exec(context.Background(), "vault", silent, nil)
	if !errors.Is(err, ErrNoOutputTimeout) || err.Error() != `Exec provider "vault" produced no output for 200ms.` {
		t.Fatalf("got %v", err)
	}
	if run.Duration > 900*time.Millisecond || run.Signal != "SIGKILL" {
		t.Fatalf("run %+v", run)
	}

	// Output, then silence: the timer counts from the last chunk.
	late := quick(script(t, dir, "late", "echo hi >&2\n/bin/sleep 1\n"))
	late.TimeoutMs, late.NoOutputTimeoutMs = 3000, 200
	if _, err := runner(nil).Exec(context.Background(), "vault", late, nil); !errors.Is(err, ErrNoOutputTimeout) {
		t.Fatalf("late: %v", err)
	}

	// noOutputTimeoutMs defaults to timeoutMs, so the total wins.
	dflt := quick(script(t, dir, "default", "/bin/sleep 1\n"))
	dflt.TimeoutMs = 200
	if _, err := runner(nil).Exec(context.Background(), "vault", dflt, nil); !errors.Is(err, ErrTimeout) {
		t.Fatalf("default idle: %v", err)
	}
}

func TestExecOutputLimit(t *testing.T) {
	dir := tempDir(t)
	// 10 bytes: 6 on stdout, 4 on stderr.
	ten := script(t, dir, "ten", "printf 'abcdef'; printf 'ghij' >&2\n")
	p := quick(ten)
	p.MaxOutputBytes = 10
	run, err := runner(nil).Exec(context.Background(), "vault", p, nil)
	if err != nil {
		t.Fatalf("exactly maxOutputBytes: %v", err)
	}
	if string(run.Stdout) != "abcdef" || string(run.Stderr) != "ghij" {
		t.Fatalf("output %q %q", run.Stdout, run.Stderr)
	}
	p.MaxOutputBytes = 9
	run, err = runner(nil).Exec(context.Background(), "vault", p, nil)
	if !errors.Is(err, ErrOutputLimit) || err.Error() != "Exec provider output exceeded maxOutputBytes (9)." {
		t.Fatalf("one byte over, combined: %v", err)
	}
	if len(run.Stdout)+len(run.Stderr) != 9 {
		t.Fatalf("kept %d bytes, want the first 9", len(run.Stdout)+len(run.Stderr))
	}

	// An endless writer is stopped at once, and only the head is kept.
	flood := script(t, dir, "flood", "while :; do printf 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'; done\n")
	p = quick(flood)
	p.MaxOutputBytes = 1000
	run, err = runner(nil).Exec(context.Background(), "vault", p, nil)
	if !errors.Is(err, ErrOutputLimit) {
		t.Fatalf("flood: %v", err)
	}
	if len(run.Stdout) != 1000 || run.Signal != "SIGKILL" || run.Duration > time.Second {
		t.Fatalf("flood run: %d bytes, %q, %v", len(run.Stdout), run.Signal, run.Duration)
	}
}

func TestExecExitStatus(t *testing.T) {
	dir := tempDir(t)
	run, err := runner(nil).Exec(context.Background(), "vault", quick(script(t, dir, "three", "echo partial\nexit 3\n")), nil)
	if !errors.Is(err, ErrExit) || err.Error() != `Exec provider "vault" exited with code 3.` {
		t.Fatalf("got %v", err)
	}
	var pe *ProviderError
	if !errors.As(err, &pe) || pe.ExitCode != 3 || run.ExitCode != 3 || string(run.Stdout) != "partial\n" {
		t.Fatalf("%+v %+v", pe, run)
	}
	run, err = runner(nil).Exec(context.Background(), "vault", quick(script(t, dir, "term", "kill -TERM $$\n")), nil)
	if !errors.Is(err, ErrExit) || err.Error() != `Exec provider "vault" exited with code null (signal SIGTERM).` {
		t.Fatalf("got %v", err)
	}
	if run.ExitCode != -1 || run.Signal != "SIGTERM" {
		t.Fatalf("run %+v", run)
	}
}

func TestExecContext(t *testing.T) {
	dir := tempDir(t)
	pidFile := filepath.Join(dir, "pid")
	p := quick(script(t, dir, "r", "/bin/sleep 30 &\necho $! > \"$1\"\n/bin/sleep 30\n"))
	p.Args = []string{pidFile}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	run, err := runner(nil).Exec(ctx, "vault", p, nil)
	if !errors.Is(err, context.DeadlineExceeded) || run == nil || run.Duration > 2*time.Second {
		t.Fatalf("got %v, %+v", err, run)
	}
	if err.Error() != `Exec provider "vault" was stopped: context deadline exceeded.` {
		t.Fatalf("message %q", err)
	}
	waitDead(t, readPid(t, pidFile))

	done, stop := context.WithCancel(context.Background())
	stop()
	if run, err := runner(nil).Exec(done, "vault", p, nil); !errors.Is(err, context.Canceled) || run != nil {
		t.Fatalf("cancelled before start: %v %v", err, run)
	}
}

func TestExecStartFailure(t *testing.T) {
	dir := tempDir(t)
	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(bad, []byte("#!/nonexistent/interpreter\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	run, err := runner(nil).Exec(context.Background(), "vault", quick(bad), nil)
	if !errors.Is(err, ErrStart) || run != nil {
		t.Fatalf("got %v, %v", err, run)
	}
	if !strings.HasPrefix(err.Error(), `Exec provider "vault" could not be started: `) {
		t.Fatalf("message %q", err)
	}
}

func TestExecInvalidConfig(t *testing.T) {
	p := quick("/bin/true")
	p.TimeoutMs = -1
	if _, err := runner(nil).Exec(context.Background(), "vault", p, nil); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("got %v", err)
	}
}

// A process that left the group (setsid) survives the kill and may hold
// the pipes forever: reading stops drainGrace after the kill instead.
func TestExecDrainIsBounded(t *testing.T) {
	if _, err := os.Stat("/usr/bin/setsid"); err != nil {
		t.Skip("no /usr/bin/setsid")
	}
	dir := tempDir(t)
	pidFile := filepath.Join(dir, "pid")
	p := quick(script(t, dir, "r", `/usr/bin/setsid /bin/sleep 30 &
echo $! > "$1"
/bin/sleep 30
`))
	p.Args = []string{pidFile}
	p.TimeoutMs = 200
	run, err := runner(nil).Exec(context.Background(), "vault", p, nil)
	pid := readPid(t, pidFile)
	t.Cleanup(func() { _ = killPid(pid) })
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("got %v", err)
	}
	if run.Duration < 200*time.Millisecond+drainGrace || run.Duration > 2*time.Second {
		t.Fatalf("took %v", run.Duration)
	}
}
