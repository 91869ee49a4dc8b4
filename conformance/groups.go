package conformance

import (
	"fmt"
	"slices"
	"strings"
)

// Group is a root cause shared by several cases: one fault that fails
// them all (a wrong protocolVersion fails every case that reads a
// response), or one reason they were not run.
type Group struct {
	Cause  string   `json:"cause"`
	Status Status   `json:"status"` // Fail, or Skip for cases not run because of it
	Cases  []string `json:"cases"`
}

// Groups returns the root causes that more than one case shares, those
// with the most cases first, so that a reader fixes one thing at a time.
func (r *Report) Groups() []Group {
	var groups []Group
	at := map[string]int{}
	for _, res := range r.Results {
		if res.Cause == "" || res.Status == Pass {
			continue
		}
		key := string(res.Status) + "\x00" + res.Cause
		i, seen := at[key]
		if !seen {
			i = len(groups)
			at[key] = i
			groups = append(groups, Group{Cause: res.Cause, Status: res.Status})
		}
		groups[i].Cases = append(groups[i].Cases, r.label(res))
	}
	groups = slices.DeleteFunc(groups, func(g Group) bool { return len(g.Cases) < 2 })
	slices.SortStableFunc(groups, func(a, b Group) int { return len(b.Cases) - len(a.Cases) })
	return groups
}

// Warning is something the target did that the gateway accepts and other
// hosts may not, with the cases that saw it.
type Warning struct {
	Text  string   `json:"text"`
	Cases []string `json:"cases"`
}

// CaseWarnings gathers the cases' warnings, each once, in the order they
// first appeared.
func (r *Report) CaseWarnings() []Warning {
	var out []Warning
	at := map[string]int{}
	for _, res := range r.Results {
		for _, w := range res.Warnings {
			i, seen := at[w]
			if !seen {
				i = len(out)
				at[w] = i
				out = append(out, Warning{Text: w})
			}
			out[i].Cases = append(out[i].Cases, r.label(res))
		}
	}
	return out
}

// caseList names cases compactly: a few, then how many more.
func caseList(ids []string) string {
	const shown = 4
	if len(ids) <= shown+1 {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:shown], ", "), len(ids)-shown)
}

// label names a result's case in a summary: its ID, and its transport
// first ("agent/CORE-001", as go test names the subtest) when the report
// ran over several.
func (r *Report) label(res Result) string {
	if len(r.Transports) > 1 {
		return string(res.Transport) + "/" + res.ID
	}
	return res.ID
}
