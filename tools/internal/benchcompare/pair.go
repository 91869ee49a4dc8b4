package benchcompare

import (
	"time"

	"github.com/execref/execref/sdk/host"
)

// A Proc is one run of a provider's command, as the gateway starts it.
type Proc struct {
	// Provider is the provider block: Command (absolute), Args, Env.
	// PassEnv is not read (the bench's own environment must not leak
	// into a side): put every variable the side needs in Env.
	Provider host.Provider
	// Stdin is what the gateway writes: Request(name, ids) for a JSON
	// resolver.
	Stdin []byte
	// Check says whether the answer is right, given the process's whole
	// stdout after it exited 0. It must check every value (CheckValues,
	// CheckRaw); a nil Check is refused.
	Check func(stdout []byte) error
	// CheckStderr, when set, checks the process's stderr too (its first
	// MiB), after Check passed: that an exec run was answered by the
	// agent, say. Without it only the last 4 KiB of stderr are kept,
	// for error messages.
	CheckStderr func(stderr []byte) error
}

// A Side is what one measured run starts.
type Side struct {
	// Name says what runs, in the report: "openclaw-vault-resolver",
	// "bundled Node resolver", "floor", "sops -d --extract per id".
	Name string
	// Procs are started for one run. With more than one, at most
	// Parallel run at once (0: all at once), as the gateway runs
	// providers maxProviderConcurrency (4) at a time.
	Procs    []Proc
	Parallel int
}

// A Pair is one comparison: A is ours, B what a user would run instead.
type Pair struct {
	// Section groups pairs in the report ("Vault: ours against the
	// bundled Node resolver"); Case names this row ("64 ids over 8
	// paths").
	Section, Case string
	// IDs is the batch's size, as reported.
	IDs  int
	A, B Side
	// Runs is how many runs of each side are measured (after one
	// unmeasured run of each); MaxTime stops earlier once that much
	// time has gone, with at least MinRuns each. Zero values take the
	// Options' defaults.
	Runs    int
	MaxTime time.Duration
	// Targets are the goals for this pair, evaluated on the
	// result and reported, never asserted.
	Targets []Target
	// After, when set, runs once after the measured runs, given their
	// result, and returns a note for the report (an agent's own peak
	// memory, a backend's request count or CPU time).
	After func(Result) (string, error)
}

// A Target is a goal a result meets or misses.
type Target struct {
	// Name says the goal: "≤ 2.5× the floor".
	Name string
	// Eval returns the measured figure as shown ("2.1×") and whether the
	// goal is met.
	Eval func(r Result) (figure string, met bool)
}

// A Sample is one measured run of a side.
type Sample struct {
	Wall time.Duration
	// CPU is user plus system time of every process of the side.
	CPU time.Duration
	// PeakRSS is the largest peak resident set of one process of the
	// side, in bytes; SumRSS the sum of the processes' peaks (an upper
	// bound on what a side with several processes held at once). They
	// come from ru_maxrss, which Linux and the BSDs give in KiB and
	// macOS in bytes; elsewhere they stay 0.
	PeakRSS, SumRSS int64
	// RSSBound is, on Linux, the benchmark's own peak resident set
	// during the run, which every child's ru_maxrss includes (see
	// ownpeak_linux.go); 0 elsewhere. A process whose figure is not
	// above it used at most that much, its own peak is not known:
	// PeakRSSAtMost and SumRSSAtMost then say the figure is only an
	// upper bound.
	RSSBound                    int64
	PeakRSSAtMost, SumRSSAtMost bool `json:",omitempty"`
}

// A Spread is the median, minimum and maximum of one figure over the runs.
// With an even number of runs the median is the mean of the two middle
// values.
type Spread[T time.Duration | int64] struct {
	Median, Min, Max T
}

// A Summary is a side's figures over its measured runs.
type Summary struct {
	Name    string
	Runs    int
	Procs   int
	Wall    Spread[time.Duration]
	CPU     Spread[time.Duration]
	PeakRSS Spread[int64]
	// MemoryRuns is how many runs under GNU time the memory figures
	// come from; 0: from the timed runs (no GNU time here).
	MemoryRuns int `json:",omitempty"`
	SumRSS     Spread[int64]
	// PeakRSSAtMost and SumRSSAtMost say that the figures are upper
	// bounds (some run's were, see Sample); RSSBound is the largest of
	// the runs' bounds.
	PeakRSSAtMost bool `json:",omitempty"`
	SumRSSAtMost  bool `json:",omitempty"`
	RSSBound      int64
}

// A Result is one pair's outcome.
type Result struct {
	Section, Case string
	IDs           int
	A, B          Summary
	// WallRatio is A's median wall time over B's; RSSRatio A's median
	// peak RSS over B's. Below 1: A is faster, or smaller.
	WallRatio, RSSRatio float64
	Targets             []TargetResult
	Note                string `json:",omitempty"`
}

// A TargetResult is a Target evaluated.
type TargetResult struct {
	Name, Figure string
	Met          bool
}
