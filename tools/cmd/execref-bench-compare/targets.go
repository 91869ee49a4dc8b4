package main

import (
	"fmt"
	"time"

	"github.com/execref/execref/tools/internal/benchcompare"
)

// The targets, as benchcompare.Targets: checked on each result
// and reported, never asserted.

// atMostTimes is the target "A takes at most x times as long as B".
func atMostTimes(x float64, of string) benchcompare.Target {
	return benchcompare.Target{
		Name: fmt.Sprintf("≤ %g× %s", x, of),
		Eval: func(r benchcompare.Result) (string, bool) {
			return fmt.Sprintf("%.2f×", r.WallRatio), r.WallRatio <= x
		},
	}
}

// fasterThanBundled is the target "A's median wall time is at most 1/x of
// B's".
func fasterThanBundled(x float64) benchcompare.Target {
	return benchcompare.Target{
		Name: fmt.Sprintf("≥ %g× faster than the bundled resolver", x),
		Eval: func(r benchcompare.Result) (string, bool) {
			return timesOf(float64(r.B.Wall.Median), float64(r.A.Wall.Median), x)
		},
	}
}

// lessMemoryThanBundled is the target "A's median peak RSS is at most 1/x
// of B's".
func lessMemoryThanBundled(x float64) benchcompare.Target {
	return benchcompare.Target{
		Name: fmt.Sprintf("≥ %g× less memory", x),
		Eval: func(r benchcompare.Result) (string, bool) {
			return timesOf(float64(r.B.PeakRSS.Median), float64(r.A.PeakRSS.Median), x)
		},
	}
}

// timesOf shows b/a and whether it is at least x; without a figure for a
// (no runs), the target is not met.
func timesOf(b, a, x float64) (string, bool) {
	if a <= 0 || b <= 0 {
		return "no figure", false
	}
	return fmt.Sprintf("%.1f×", b/a), b/a >= x
}

// atMost is the target "A's median wall time is at most d".
func atMost(d time.Duration) benchcompare.Target {
	return benchcompare.Target{
		Name: fmt.Sprintf("≤ %d ms", d.Milliseconds()),
		Eval: func(r benchcompare.Result) (string, bool) {
			m := r.A.Wall.Median
			return fmt.Sprintf("%.1f ms", float64(m)/float64(time.Millisecond)), m > 0 && m <= d
		},
	}
}
