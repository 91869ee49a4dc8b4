package benchcompare

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
)

// Markdown writes the results as docs/performance.md shows them: per
// Section a "### Section" heading, then a table per pair of side names
// (the columns name the sides), in the order the results come:
//
//	| case | ids | A: ours ms (min–max) | B: floor ms (min–max) | A/B time | A MiB | B MiB | A/B memory | targets |
//
// Times are medians in milliseconds with three significant digits, the
// range over the runs in parentheses; memory is the median peak resident
// set in MiB, of the largest process when a side runs several ("(N
// procs)" in its heading), with the sum over its processes in
// parentheses; "≤" marks a memory figure that is only an upper bound
// (see Sample.RSSBound), with a line below the table saying why. A line
// below each table gives the run counts, then each result's Note.
func Markdown(w io.Writer, results []Result) error {
	var b strings.Builder
	for i, sec := range groupResults(results) {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "### %s\n", sec.name)
		for _, t := range sec.tables {
			b.WriteString("\n")
			writeTable(&b, t)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the results as indented JSON, durations in
// nanoseconds and sizes in bytes, for tools that compare runs.
func WriteJSON(w io.Writer, results []Result) error {
	if results == nil {
		results = []Result{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(results)
}

// A section is the results under one heading, in tables of the same
// sides.
type section struct {
	name   string
	tables [][]Result
}

// sidesKey tells the tables of a section apart: what the columns name.
type sidesKey struct {
	a, b           string
	aProcs, bProcs int
}

// groupResults keeps the order in which sections, and tables within a
// section, first appear.
func groupResults(results []Result) []section {
	var sections []section
	index := map[string]int{}
	tables := map[string]map[sidesKey]int{}
	for _, r := range results {
		si, ok := index[r.Section]
		if !ok {
			si = len(sections)
			index[r.Section] = si
			sections = append(sections, section{name: r.Section})
			tables[r.Section] = map[sidesKey]int{}
		}
		key := sidesKey{r.A.Name, r.B.Name, r.A.Procs, r.B.Procs}
		ti, ok := tables[r.Section][key]
		if !ok {
			ti = len(sections[si].tables)
			tables[r.Section][key] = ti
			sections[si].tables = append(sections[si].tables, nil)
		}
		sections[si].tables[ti] = append(sections[si].tables[ti], r)
	}
	return sections
}

// writeTable writes one table of results that share their sides, with
// its run counts and notes below.
func writeTable(b *strings.Builder, rows []Result) {
	first := rows[0]
	fmt.Fprintf(b, "| case | ids | A: %s ms (min–max) | B: %s ms (min–max) | A/B time | A MiB | B MiB | A/B memory | targets |\n",
		cell(sideHeading(first.A)), cell(sideHeading(first.B)))
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, r := range rows {
		fmt.Fprintf(b, "| %s | %d | %s | %s | %s | %s | %s | %s | %s |\n",
			cell(r.Case), r.IDs, timeCell(r.A.Wall), timeCell(r.B.Wall), times(r.WallRatio),
			rssCell(r.A), rssCell(r.B), rssRatioCell(r), cell(targetsCell(r.Targets)))
	}
	fmt.Fprintf(b, "\n%s\n", runCounts(rows))
	if bound, ok := boundNote(rows); ok {
		fmt.Fprintf(b, "\n%s\n", bound)
	}
	for _, r := range rows {
		if r.Note != "" {
			fmt.Fprintf(b, "\n%s: %s\n", r.Case, r.Note)
		}
	}
}

// runCounts says over how many runs the medians were taken.
func runCounts(rows []Result) string {
	lo, hi := rows[0].A.Runs, rows[0].A.Runs
	for _, r := range rows {
		for _, n := range []int{r.A.Runs, r.B.Runs} {
			lo, hi = min(lo, n), max(hi, n)
		}
	}
	times := fmt.Sprintf("%d to %d", lo, hi)
	if lo == hi {
		times = fmt.Sprint(lo)
	}
	memory := 0
	for _, r := range rows {
		memory = max(memory, r.A.MemoryRuns, r.B.MemoryRuns)
	}
	if memory == 0 {
		return fmt.Sprintf("Medians of %s runs of each side, alternating.", times)
	}
	return fmt.Sprintf("Times: medians of %s runs of each side, alternating; memory: medians of up to %d more runs of each under GNU time.", times, memory)
}

// boundNote explains the "≤" of the table's memory figures, if any.
func boundNote(rows []Result) (string, bool) {
	var bound int64
	bounded := false
	for _, r := range rows {
		for _, s := range []Summary{r.A, r.B} {
			if s.PeakRSSAtMost || s.SumRSSAtMost {
				bounded = true
				bound = max(bound, s.RSSBound)
			}
		}
	}
	if !bounded {
		return "", false
	}
	own := mebibytes(bound) + " MiB here"
	if bound == math.MaxInt64 {
		own = "not known here"
	}
	return "≤: an upper bound. On Linux a process's peak resident set includes the benchmark's own at the moment " +
		"it started the process (" + own + "); a process that stayed below that shows as at most it.", true
}
