package benchcompare

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/sdk/host"
)

// want1 is a batch whose values name their ids, so that a mix-up shows.
var want1 = map[string]string{
	"db/password": "value-of-db/password",
	"api/token":   "value-of-api/token",
}

func TestFloorPairIsMeasuredAndChecked(t *testing.T) {
	var progress bytes.Buffer
	p := Pair{
		Section: "Floor", Case: "2 ids", IDs: 2,
		A:    Side{Name: "floor A", Procs: []Proc{floorProc(t, want1)}},
		B:    Side{Name: "floor B", Procs: []Proc{floorProc(t, want1)}},
		Runs: 3,
		Targets: []Target{{Name: "a ratio", Eval: func(r Result) (string, bool) {
			return times(r.WallRatio), r.WallRatio > 0
		}}},
		After: func(Result) (string, error) { return "after ran", nil },
	}
	res, err := Run(context.Background(), p, Options{Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if res.Section != "Floor" || res.Case != "2 ids" || res.IDs != 2 {
		t.Errorf("result names %q / %q / %d", res.Section, res.Case, res.IDs)
	}
	for _, s := range []Summary{res.A, res.B} {
		if s.Runs != 3 || s.Procs != 1 {
			t.Errorf("%s: %d runs of %d procs, want 3 of 1", s.Name, s.Runs, s.Procs)
		}
		if s.Wall.Min <= 0 || s.Wall.Min > s.Wall.Median || s.Wall.Median > s.Wall.Max {
			t.Errorf("%s: wall %+v is not a spread of positive times", s.Name, s.Wall)
		}
		if s.PeakRSS.Min <= 0 || s.PeakRSS.Median >= 64<<20 {
			t.Errorf("%s: peak RSS %+v, want above 0 and below 64 MiB for the floor", s.Name, s.PeakRSS)
		}
		if s.SumRSS != s.PeakRSS {
			t.Errorf("%s: one process, yet sum RSS %+v differs from peak %+v", s.Name, s.SumRSS, s.PeakRSS)
		}
	}
	if res.WallRatio <= 0 || res.RSSRatio <= 0 {
		t.Errorf("ratios %v and %v, want both above 0", res.WallRatio, res.RSSRatio)
	}
	if len(res.Targets) != 1 || !res.Targets[0].Met || res.Targets[0].Name != "a ratio" || !strings.HasSuffix(res.Targets[0].Figure, "×") {
		t.Errorf("targets %+v", res.Targets)
	}
	if res.Note != "after ran" {
		t.Errorf("note %q", res.Note)
	}
	line := progress.String()
	for _, part := range []string{"Floor / 2 ids", "floor A", "floor B", " ms", "A/B", "\n"} {
		if !strings.Contains(line, part) {
			t.Errorf("progress line %q lacks %q", line, part)
		}
	}
	if strings.Count(line, "\n") != 1 {
		t.Errorf("progress %q, want one line", line)
	}
}

func TestFloorWithoutArgumentExits2(t *testing.T) {
	p := Pair{
		Section: "Floor", Case: "no answer",
		A: Side{Name: "floor", Procs: []Proc{{Provider: host.Provider{Command: floor(t)}, Check: CheckRaw("x")}}},
		B: Side{Name: "floor", Procs: []Proc{floorProc(t, want1)}},
	}
	_, err := Run(context.Background(), p, Options{})
	if !errors.Is(err, ErrExit) || !strings.Contains(err.Error(), "exit status 2") || !strings.Contains(err.Error(), "usage: execref-bench-floor ANSWER") {
		t.Errorf("got %v, want exit status 2 with the usage line", err)
	}
}

func TestRunsAlternate(t *testing.T) {
	log := filepath.Join(t.TempDir(), "log")
	p := Pair{
		Section: "S", Case: "alternation",
		A:    Side{Name: "a", Procs: []Proc{answering(t, "A", log, want1)}},
		B:    Side{Name: "b", Procs: []Proc{answering(t, "B", log, want1)}},
		Runs: 3,
	}
	res, err := Run(context.Background(), p, Options{MaxTime: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(starts(readLog(t, log)), " ")
	// Warm-up A B, then A B, B A, A B, then the memory runs.
	if want := "A B A B B A A B" + memoryRunsOrder(3); got != want {
		t.Errorf("order %q, want %q", got, want)
	}
	if res.A.Runs != 3 || res.B.Runs != 3 {
		t.Errorf("runs %d and %d, want 3 each", res.A.Runs, res.B.Runs)
	}
}

func TestMaxTimeStopsAtMinRuns(t *testing.T) {
	log := filepath.Join(t.TempDir(), "log")
	p := Pair{
		Section: "S", Case: "max time",
		A:       Side{Name: "a", Procs: []Proc{answering(t, "A", log, want1)}},
		B:       Side{Name: "b", Procs: []Proc{answering(t, "B", log, want1)}},
		MaxTime: time.Nanosecond,
	}
	res, err := Run(context.Background(), p, Options{Runs: 10, MinRuns: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.A.Runs != 2 || res.B.Runs != 2 {
		t.Errorf("runs %d and %d, want MinRuns (2) each once MaxTime passed", res.A.Runs, res.B.Runs)
	}
	if got, want := strings.Join(starts(readLog(t, log)), " "), "A B A B B A"+memoryRunsOrder(2); got != want {
		t.Errorf("order %q, want %q", got, want)
	}
}

func TestWrongValueFailsNamingTheID(t *testing.T) {
	wrong := map[string]string{"db/password": "value-of-api/token", "api/token": "value-of-api/token"}
	p := Pair{
		Section: "S", Case: "wrong",
		A: Side{Name: "ours", Procs: []Proc{floorProc(t, want1)}},
		B: Side{Name: "mixed up", Procs: []Proc{helperProc(t, "answer", "B", "", string(Response(wrong)), want1)}},
	}
	_, err := Run(context.Background(), p, Options{})
	if !errors.Is(err, ErrCheck) {
		t.Fatalf("got %v, want ErrCheck", err)
	}
	var re *RunError
	if !errors.As(err, &re) || re.Side != "mixed up" || !re.Warmup || re.Section != "S" || re.Case != "wrong" {
		t.Errorf("error %#v does not name the side, the warm-up run and the pair", re)
	}
	msg := err.Error()
	if !strings.Contains(msg, `"db/password"`) || strings.Contains(msg, `"api/token"`) {
		t.Errorf("error %q should name db/password, and only it", msg)
	}
	if strings.Contains(msg, "value-of") {
		t.Errorf("error %q shows a value", msg)
	}
}

func TestExitFailsWithStderrTail(t *testing.T) {
	p := Pair{
		Section: "S", Case: "exit",
		A: Side{Name: "broken", Procs: []Proc{helperProc(t, "fail", "A", "", "", want1)}},
		B: Side{Name: "floor", Procs: []Proc{floorProc(t, want1)}},
	}
	_, err := Run(context.Background(), p, Options{})
	if !errors.Is(err, ErrExit) {
		t.Fatalf("got %v, want ErrExit", err)
	}
	msg := err.Error()
	exe, _ := os.Executable()
	for _, part := range []string{"S / exit", `side "broken"`, filepath.Base(exe), "exit status 3", "final words: the backend refused"} {
		if !strings.Contains(msg, part) {
			t.Errorf("error %q lacks %q", msg, part)
		}
	}
	var re *RunError
	if !errors.As(err, &re) {
		t.Fatal("not a *RunError")
	}
	if strings.Contains(re.Stderr, "start-of-stderr") || !strings.HasPrefix(re.Stderr, "…") {
		t.Errorf("stderr tail keeps the beginning of 12 KiB of stderr, or does not say it was cut")
	}
	if n := len(strings.TrimPrefix(re.Stderr, "…")); n > stderrTail {
		t.Errorf("stderr tail is %d bytes, more than %d", n, stderrTail)
	}
}

func TestTimeoutKillsTheProcessGroup(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc to see the child die")
	}
	log := filepath.Join(t.TempDir(), "log")
	p := Pair{
		Section: "S", Case: "hang",
		A: Side{Name: "hangs", Procs: []Proc{helperProc(t, "hang", "A", log, "", want1)}},
		B: Side{Name: "floor", Procs: []Proc{floorProc(t, want1)}},
	}
	// Long enough for the helper to start its child and log it first.
	_, err := Run(context.Background(), p, Options{Timeout: 2 * time.Second})
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("got %v, want ErrTimeout", err)
	}
	var childPID int
	for _, l := range readLog(t, log) {
		if pid, ok := strings.CutPrefix(l, "child "); ok {
			childPID, _ = strconv.Atoi(pid)
		}
	}
	if childPID == 0 {
		t.Fatal("the helper logged no child")
	}
	if !processGone(t, childPID) {
		t.Errorf("the helper's child %d survived the timeout", childPID)
	}
}

func TestOutputLeftOpenFails(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc to see the child die")
	}
	log := filepath.Join(t.TempDir(), "log")
	p := Pair{
		Section: "S", Case: "open pipes",
		A: Side{Name: "leaves a child", Procs: []Proc{helperProc(t, "leave-child", "A", log, "", want1)}},
		B: Side{Name: "floor", Procs: []Proc{floorProc(t, want1)}},
	}
	_, err := Run(context.Background(), p, Options{})
	if !errors.Is(err, ErrOpenPipes) {
		t.Fatalf("got %v, want ErrOpenPipes", err)
	}
	for _, l := range readLog(t, log) {
		if pid, ok := strings.CutPrefix(l, "child "); ok {
			n, _ := strconv.Atoi(pid)
			if !processGone(t, n) {
				t.Errorf("the child %d holding stdout was left running", n)
			}
		}
	}
}

func TestStdoutBeyondTheGatewayLimitFails(t *testing.T) {
	p := Pair{
		Section: "S", Case: "flood",
		A: Side{Name: "floods", Procs: []Proc{helperProc(t, "flood", "A", "", "", want1)}},
		B: Side{Name: "floor", Procs: []Proc{floorProc(t, want1)}},
	}
	_, err := Run(context.Background(), p, Options{})
	if !errors.Is(err, ErrOutputLimit) {
		t.Fatalf("got %v, want ErrOutputLimit", err)
	}
}

func TestParallelBoundsConcurrency(t *testing.T) {
	log := filepath.Join(t.TempDir(), "log")
	procs := make([]Proc, 6)
	for i := range procs {
		procs[i] = answering(t, "p"+strconv.Itoa(i), log, want1, napEnv, "30ms")
	}
	p := Pair{
		Section: "S", Case: "parallel",
		A:    Side{Name: "six, two at once", Procs: procs, Parallel: 2},
		B:    Side{Name: "floor", Procs: []Proc{floorProc(t, want1)}},
		Runs: 1,
	}
	res, err := Run(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.A.Procs != 6 {
		t.Errorf("summary says %d procs, want 6", res.A.Procs)
	}
	running, most, started := 0, 0, 0
	for _, l := range readLog(t, log) {
		switch {
		case strings.HasPrefix(l, "start "):
			running++
			started++
			most = max(most, running)
		case strings.HasPrefix(l, "end "):
			running--
		}
	}
	// Warm-up and one measured run, six processes each, and one run
	// under GNU time for memory where it is installed.
	want := 12
	if timeLauncher() {
		want = 18
	}
	if started != want {
		t.Errorf("%d processes started, want %d", started, want)
	}
	if most > 2 {
		t.Errorf("%d processes ran at once, Parallel is 2", most)
	}
	// One measured run of six processes: their sum exceeds the largest.
	if res.A.SumRSS.Min <= res.A.PeakRSS.Min {
		t.Errorf("sum RSS %+v not above the peak RSS %+v of one of six processes", res.A.SumRSS, res.A.PeakRSS)
	}
}

// sink keeps an allocation of the test process's own alive until it has
// been touched.
var sink []byte

func TestPeakRSSSeesAnAllocation(t *testing.T) {
	if raceEnabled {
		t.Skip("under the race detector the bench itself holds more than the 64 MiB looked for")
	}
	// The bench itself held 96 MiB once: none of it may show in the
	// figures of the processes it starts afterwards.
	sink = make([]byte, 96<<20)
	for i := 0; i < len(sink); i += 4096 {
		sink[i] = 1
	}
	sink = nil

	want := map[string]string{"big": "value-of-big"}
	p := Pair{
		Section: "S", Case: "memory",
		A:    Side{Name: "64 MiB", Procs: []Proc{helperProc(t, "alloc", "A", "", string(Response(want)), want, allocEnv, "64")}},
		B:    Side{Name: "floor", Procs: []Proc{floorProc(t, want)}},
		Runs: 1,
	}
	res, err := Run(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.A.PeakRSS.Min < 64<<20 {
		t.Errorf("peak RSS %d bytes, want at least 64 MiB", res.A.PeakRSS.Min)
	}
	if res.B.PeakRSS.Min <= 0 || res.B.PeakRSS.Max >= 64<<20 {
		t.Errorf("the floor's peak RSS %+v, want above 0 and below 64 MiB", res.B.PeakRSS)
	}
	if res.RSSRatio <= 1 {
		t.Errorf("RSS ratio %v, want above 1", res.RSSRatio)
	}
	if res.A.PeakRSSAtMost {
		t.Errorf("64 MiB (%d bytes) marked as an upper bound, the bench's own peak being %d", res.A.PeakRSS.Min, res.A.RSSBound)
	}
	if runtime.GOOS == "linux" {
		if res.B.RSSBound <= 0 || res.B.RSSBound >= 64<<20 {
			t.Errorf("the bench's own peak during the floor's runs is %d bytes, want above 0 and below 64 MiB", res.B.RSSBound)
		}
		switch {
		case timeLauncher():
			// Measured by GNU time: the floor's own figure, below
			// what Go's wait would have reported, and not a bound.
			if res.B.PeakRSSAtMost || res.B.PeakRSS.Max >= res.B.RSSBound {
				t.Errorf("floor under GNU time: peak %+v, bound %d, marked as a bound: %v; want its own figure, below the bound", res.B.PeakRSS, res.B.RSSBound, res.B.PeakRSSAtMost)
			}
		case res.B.PeakRSSAtMost != (res.B.PeakRSS.Max <= res.B.RSSBound):
			t.Errorf("floor: peak %+v, bound %d, marked as a bound: %v", res.B.PeakRSS, res.B.RSSBound, res.B.PeakRSSAtMost)
		}
	}
}

func TestSideGetsOnlyItsEnvAndTheCommandsDirectory(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("BENCH_LEAK", "from the bench's own environment")
	env := map[string]string{helperModeEnv: "env", "EXTRA": "given"}
	wantEnv := strings.Join(host.ChildEnv(host.Provider{Env: env}, lookupNothing), "\n")
	want := map[string]string{"env": wantEnv, "cwd": filepath.Dir(exe)}
	proc := Proc{
		Provider: host.Provider{Command: exe, Env: env, PassEnv: []string{"BENCH_LEAK"}},
		Stdin:    Request("bench", []string{"env", "cwd"}),
		Check:    CheckValues(want),
	}
	p := Pair{
		Section: "S", Case: "env",
		A:    Side{Name: "env", Procs: []Proc{proc}},
		B:    Side{Name: "floor", Procs: []Proc{floorProc(t, want1)}},
		Runs: 1,
	}
	if _, err := Run(context.Background(), p, Options{}); err != nil {
		t.Errorf("the side saw another environment or directory than the gateway gives: %v", err)
	}
}

func TestCheckStderr(t *testing.T) {
	for _, tc := range []struct {
		name    string
		check   func([]byte) error
		wantErr bool
	}{
		{"passes", func(b []byte) error {
			if !bytes.Contains(b, []byte("answered by the agent on ")) {
				return errors.New("not by the agent")
			}
			return nil
		}, false},
		{"fails", func([]byte) error { return errors.New("not by the agent") }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			proc := helperProc(t, "stderr", "A", "", string(Response(want1)), want1)
			proc.CheckStderr = tc.check
			p := Pair{
				Section: "S", Case: "stderr",
				A:    Side{Name: "agent", Procs: []Proc{proc}},
				B:    Side{Name: "floor", Procs: []Proc{floorProc(t, want1)}},
				Runs: 1,
			}
			_, err := Run(context.Background(), p, Options{})
			if tc.wantErr != (err != nil) || (err != nil && (!errors.Is(err, ErrCheck) || !strings.Contains(err.Error(), "not by the agent"))) {
				t.Errorf("got %v, want an error: %v", err, tc.wantErr)
			}
		})
	}
}

func TestInvalidPairsStartNothing(t *testing.T) {
	log := filepath.Join(t.TempDir(), "log")
	good := answering(t, "A", log, want1)
	noCheck := good
	noCheck.Check = nil
	relative := good
	relative.Provider.Command = "bin/resolver"
	for name, p := range map[string]Pair{
		"no Check":         {A: Side{Name: "a", Procs: []Proc{good}}, B: Side{Name: "b", Procs: []Proc{noCheck}}},
		"relative command": {A: Side{Name: "a", Procs: []Proc{relative}}, B: Side{Name: "b", Procs: []Proc{good}}},
		"no processes":     {A: Side{Name: "a"}, B: Side{Name: "b", Procs: []Proc{good}}},
		"target sans Eval": {A: Side{Name: "a", Procs: []Proc{good}}, B: Side{Name: "b", Procs: []Proc{good}}, Targets: []Target{{Name: "t"}}},
	} {
		if _, err := Run(context.Background(), p, Options{}); !errors.Is(err, ErrInvalidPair) {
			t.Errorf("%s: got %v, want ErrInvalidPair", name, err)
		}
	}
	if lines := readLog(t, log); len(lines) != 0 {
		t.Errorf("invalid pairs started processes: %q", lines)
	}
}

func TestCanceledContextStopsThePair(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := Pair{
		Section: "S", Case: "canceled",
		A: Side{Name: "a", Procs: []Proc{floorProc(t, want1)}},
		B: Side{Name: "b", Procs: []Proc{floorProc(t, want1)}},
	}
	if _, err := Run(ctx, p, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

func TestAfterErrorFailsThePair(t *testing.T) {
	p := Pair{
		Section: "S", Case: "after",
		A:     Side{Name: "a", Procs: []Proc{floorProc(t, want1)}},
		B:     Side{Name: "b", Procs: []Proc{floorProc(t, want1)}},
		Runs:  1,
		After: func(Result) (string, error) { return "", errors.New("agent gone") },
	}
	if _, err := Run(context.Background(), p, Options{}); err == nil || !strings.Contains(err.Error(), "agent gone") {
		t.Errorf("got %v, want the After error", err)
	}
}

func TestSpreadMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []int64
		want Spread[int64]
	}{
		{nil, Spread[int64]{}},
		{[]int64{5}, Spread[int64]{5, 5, 5}},
		{[]int64{9, 1, 5}, Spread[int64]{5, 1, 9}},
		{[]int64{8, 2, 4, 1}, Spread[int64]{3, 1, 8}},
		{[]int64{1, 2}, Spread[int64]{1, 1, 2}},
	} {
		if got := spread(tc.in); got != tc.want {
			t.Errorf("spread(%v) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
	if got := spread([]time.Duration{4 * time.Millisecond, 2 * time.Millisecond}); got.Median != 3*time.Millisecond {
		t.Errorf("median of 2 ms and 4 ms is %v, want 3ms", got.Median)
	}
}

func TestTailBuffer(t *testing.T) {
	tb := &tailBuffer{max: 8}
	tb.Write([]byte("abc"))
	if tb.String() != "abc" {
		t.Errorf("got %q", tb.String())
	}
	tb.Write([]byte("defghij"))
	if tb.String() != "…cdefghij" {
		t.Errorf("got %q, want the last 8 bytes marked as cut", tb.String())
	}
	tb.Write([]byte("0123456789"))
	if tb.String() != "…23456789" {
		t.Errorf("got %q", tb.String())
	}
}

// memoryRunsOrder is the order of the runs under GNU time that follow
// runs timed runs of each side: A B, up to memoryRuns times; none without
// GNU time.
func memoryRunsOrder(runs int) string {
	if !timeLauncher() {
		return ""
	}
	return strings.Repeat(" A B", min(runs, memoryRuns))
}
