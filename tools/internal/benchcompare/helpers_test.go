package benchcompare

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/execref/execref/sdk/host"
)

// The test binary doubles as the sides' programs: with helperModeEnv set
// in its environment (a Provider's Env) it runs one helper and exits.
const (
	helperModeEnv = "BENCHCOMPARE_HELPER"
	// Settings of the helpers, all through their Provider.Env.
	logEnv    = "BENCH_LOG"    // file the helper appends its events to
	labelEnv  = "BENCH_LABEL"  // name of the helper in the log
	answerEnv = "BENCH_ANSWER" // what it writes on stdout
	allocEnv  = "BENCH_ALLOC"  // MiB it allocates and touches
	napEnv    = "BENCH_NAP"    // how long it sleeps between start and end
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperModeEnv); mode != "" {
		os.Exit(runHelper(mode))
	}
	code := m.Run()
	if floorDir != "" {
		_ = os.RemoveAll(floorDir)
	}
	os.Exit(code)
}

// runHelper is one helper process: it logs "start LABEL", reads stdin,
// does what the mode says, logs "end LABEL".
func runHelper(mode string) int {
	label := os.Getenv(labelEnv)
	logEvent("start " + label)
	if _, err := io.Copy(io.Discard, os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, "reading stdin:", err)
		return 1
	}
	switch mode {
	case "answer":
	case "alloc":
		mib, _ := strconv.Atoi(os.Getenv(allocEnv))
		touch(mib)
	case "env":
		// Answers with its environment and working directory, so that
		// the test can check what the runner gave it.
		wd, _ := os.Getwd()
		os.Stdout.Write(Response(map[string]string{"env": strings.Join(os.Environ(), "\n"), "cwd": wd}))
		return 0
	case "fail":
		fmt.Fprint(os.Stderr, "start-of-stderr "+strings.Repeat("noise ", 2000)+"\nfinal words: the backend refused\n")
		return 3
	case "stderr":
		fmt.Fprintln(os.Stderr, "openclaw-x-resolver: answered by the agent on /tmp/s in 1ms")
	case "hang":
		// A child in the same process group holds stdout too, as a
		// resolver's own helper would; both must die on the timeout.
		child := exec.Command(os.Args[0])
		child.Env = append(os.Environ(), helperModeEnv+"=sleep", labelEnv+"=child")
		child.Stdout = os.Stdout
		if err := child.Start(); err != nil {
			fmt.Fprintln(os.Stderr, "starting the child:", err)
			return 1
		}
		logEvent("child " + strconv.Itoa(child.Process.Pid))
		time.Sleep(time.Hour)
	case "sleep":
		time.Sleep(time.Hour)
	case "leave-child":
		// Exits at once but leaves a child holding stdout.
		child := exec.Command(os.Args[0])
		child.Env = append(os.Environ(), helperModeEnv+"=sleep", labelEnv+"=child")
		child.Stdout = os.Stdout
		if err := child.Start(); err != nil {
			fmt.Fprintln(os.Stderr, "starting the child:", err)
			return 1
		}
		logEvent("child " + strconv.Itoa(child.Process.Pid))
		return 0
	case "flood":
		chunk := strings.Repeat("x", 1<<20)
		for range stdoutLimit>>20 + 1 {
			os.Stdout.WriteString(chunk)
		}
		return 0
	default:
		fmt.Fprintln(os.Stderr, "unknown helper mode", mode)
		return 1
	}
	if d, err := time.ParseDuration(os.Getenv(napEnv)); err == nil {
		time.Sleep(d)
	}
	os.Stdout.WriteString(os.Getenv(answerEnv))
	logEvent("end " + label)
	return 0
}

// touch allocates mib MiB and writes every page of it, so that it is
// resident.
func touch(mib int) {
	b := make([]byte, mib<<20)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	if b[len(b)-4096] != 1 {
		os.Exit(9)
	}
}

// logEvent appends one line to the helper's log: one write with
// O_APPEND, so that lines of concurrent helpers do not mix.
func logEvent(line string) {
	path := os.Getenv(logEnv)
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, "log:", err)
		os.Exit(1)
	}
	defer f.Close()
	if _, err := f.WriteString(line + "\n"); err != nil {
		fmt.Fprintln(os.Stderr, "log:", err)
		os.Exit(1)
	}
}

// readLog is the helpers' log, one event a line.
func readLog(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// starts is the labels of the "start" events, in order.
func starts(lines []string) []string {
	var out []string
	for _, l := range lines {
		if label, ok := strings.CutPrefix(l, "start "); ok {
			out = append(out, label)
		}
	}
	return out
}

// helperProc is a Proc running this test binary in mode, answering
// answer, checked against want.
func helperProc(t *testing.T, mode, label, logPath, answer string, want map[string]string, extra ...string) Proc {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		helperModeEnv: mode,
		labelEnv:      label,
		logEnv:        logPath,
		answerEnv:     answer,
	}
	for i := 0; i+1 < len(extra); i += 2 {
		env[extra[i]] = extra[i+1]
	}
	return Proc{
		Provider: host.Provider{Command: exe, Env: env},
		Stdin:    Request("bench", slices.Sorted(maps.Keys(want))),
		Check:    CheckValues(want),
	}
}

// answering is a helper Proc that answers want correctly.
func answering(t *testing.T, label, logPath string, want map[string]string, extra ...string) Proc {
	return helperProc(t, "answer", label, logPath, string(Response(want)), want, extra...)
}

var (
	floorOnce sync.Once
	floorDir  string
	floorPath string
	floorErr  error
)

// floor builds execref-bench-floor once per test binary.
func floor(t *testing.T) string {
	t.Helper()
	floorOnce.Do(func() {
		gocmd, err := exec.LookPath("go")
		if err != nil {
			floorErr = fmt.Errorf("go is not on PATH: %w", err)
			return
		}
		if floorDir, err = os.MkdirTemp("", "benchcompare-floor-"); err != nil {
			floorErr = err
			return
		}
		floorPath = filepath.Join(floorDir, "execref-bench-floor")
		out, err := exec.Command(gocmd, "build", "-o", floorPath, "github.com/execref/execref/tools/cmd/execref-bench-floor").CombinedOutput()
		if err != nil {
			floorErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if floorErr != nil {
		t.Fatal(floorErr)
	}
	return floorPath
}

// floorProc is the floor answering want.
func floorProc(t *testing.T, want map[string]string) Proc {
	return Proc{
		Provider: host.Provider{Command: floor(t), Args: []string{string(Response(want))}},
		Stdin:    Request("bench", slices.Sorted(maps.Keys(want))),
		Check:    CheckValues(want),
	}
}

// processGone waits until pid has exited (or is a zombie nobody reaped),
// reading Linux's /proc; it reports false if pid is still running after
// a generous wait.
func processGone(t *testing.T, pid int) bool {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if os.IsNotExist(err) {
			return true
		}
		if err != nil {
			t.Fatal(err)
		}
		// pid (comm) S ...: the state follows the last ')'.
		rest := stat[strings.LastIndexByte(string(stat), ')')+1:]
		if f := strings.Fields(string(rest)); len(f) > 0 && (f[0] == "Z" || f[0] == "X") {
			return true
		}
	}
	return false
}
