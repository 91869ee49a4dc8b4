package benchcompare

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// sig3 shows v with three significant digits, in plain notation: 0.512,
// 6.12, 17.0, 110, 1230.
func sig3(v float64) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	// Round first, so that 9.996 shows as 10.0, not 10.00.
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
	decimals := max(2-int(math.Floor(math.Log10(math.Abs(r)))), 0)
	return strconv.FormatFloat(r, 'f', decimals, 64)
}

// millis is a duration in milliseconds, three significant digits.
func millis(d time.Duration) string { return sig3(float64(d) / float64(time.Millisecond)) }

// mebibytes is a size in MiB with one decimal.
func mebibytes(b int64) string { return fmt.Sprintf("%.1f", float64(b)/(1<<20)) }

// times is a ratio as "0.0556×", or "—" when there is none.
func times(r float64) string {
	if r == 0 {
		return "—"
	}
	return sig3(r) + "×"
}

// timeCell is a wall time's median with its range.
func timeCell(s Spread[time.Duration]) string {
	return fmt.Sprintf("%s (%s–%s)", millis(s.Median), millis(s.Min), millis(s.Max))
}

// rssCell is a side's median peak RSS; for a side of several processes,
// that of the largest one, with the median sum over them in parentheses.
// "≤" marks a figure that is only an upper bound (Summary.PeakRSSAtMost).
func rssCell(s Summary) string {
	peak := atMost(s.PeakRSSAtMost) + mebibytes(s.PeakRSS.Median)
	if s.Procs > 1 {
		return fmt.Sprintf("%s (sum %s%s)", peak, atMost(s.SumRSSAtMost), mebibytes(s.SumRSS.Median))
	}
	return peak
}

func atMost(bound bool) string {
	if bound {
		return "≤ "
	}
	return ""
}

// rssRatioCell is A's peak RSS over B's, marked as a bound when one side's
// figure is: "≤" when A's is at most its figure, "≥" when B's is, and no
// figure when both are.
func rssRatioCell(r Result) string {
	a, b := r.A.PeakRSSAtMost, r.B.PeakRSSAtMost
	switch {
	case a && b:
		return "—"
	case a:
		return atMost(true) + times(r.RSSRatio)
	case b && r.RSSRatio != 0:
		return "≥ " + times(r.RSSRatio)
	}
	return times(r.RSSRatio)
}

// targetsCell is every target as "✓ ≤ 2.5× the floor (2.1×)" or "✗ …".
func targetsCell(ts []TargetResult) string {
	if len(ts) == 0 {
		return "—"
	}
	parts := make([]string, len(ts))
	for i, t := range ts {
		mark := "✗"
		if t.Met {
			mark = "✓"
		}
		parts[i] = mark + " " + t.Name
		if t.Figure != "" {
			parts[i] += " (" + t.Figure + ")"
		}
	}
	return strings.Join(parts, "; ")
}

// sideHeading names a side in a column heading: "(4 procs)" after the
// name when it runs several processes.
func sideHeading(s Summary) string {
	if s.Procs > 1 {
		return fmt.Sprintf("%s (%d procs)", s.Name, s.Procs)
	}
	return s.Name
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.Join(strings.Fields(s), " ")
}

// progressLine is the line Options.Progress gets for a finished pair.
func progressLine(r Result) string {
	return fmt.Sprintf("%s / %s: %s %s ms, %s %s ms, A/B %s (%d and %d runs)",
		r.Section, r.Case, r.A.Name, millis(r.A.Wall.Median), r.B.Name, millis(r.B.Wall.Median),
		times(r.WallRatio), r.A.Runs, r.B.Runs)
}
