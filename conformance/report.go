package conformance

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// Counts tallies the results.
func (r *Report) Counts() (passed, failed, skipped, optionalFailed int) {
	for _, res := range r.Results {
		switch {
		case res.Status == Pass:
			passed++
		case res.Status == Skip:
			skipped++
		case res.Optional:
			optionalFailed++
		default:
			failed++
		}
	}
	return
}

// WriteText writes the human summary: the fixture's warnings, one line
// per case with the reasons for failures, the root causes several cases
// share, what the target got away with, and a closing count.
func (r *Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "target:     %s\n", r.Target)
	if r.Fixture != "" {
		fmt.Fprintf(w, "fixture:    %s\n", r.Fixture)
	}
	fmt.Fprintf(w, "transports: %s\n", transportList(r.Transports))
	for _, warning := range r.Warnings {
		fmt.Fprintf(w, "warning: fixture: %s\n", warning)
	}
	fmt.Fprintln(w)
	for _, res := range r.Results {
		mark := map[Status]string{Pass: "PASS", Fail: "FAIL", Skip: "SKIP"}[res.Status]
		if res.Status == Fail && res.Optional {
			mark = "WARN"
		}
		fmt.Fprintf(w, "%-4s  %-6s  %-11s  %s  (%s)\n", mark, res.Transport, res.ID, res.Rationale, res.Duration.Round(time.Millisecond))
		if res.Reason != "" {
			fmt.Fprintf(w, "      %s\n", res.Reason)
		}
	}
	r.writeSummary(w)
	// The count line has the shape CI systems read: "N passed, N failed".
	passed, failed, skipped, warned := r.Counts()
	verdict := "conformant"
	if !r.OK() {
		verdict = "NOT conformant"
	}
	_, err := fmt.Fprintf(w, "\nconformance: %d passed, %d failed, %d skipped\nverdict: %s (%d optional cases failed) in %s\n",
		passed, failed, skipped, verdict, warned, r.Duration.Round(time.Millisecond))
	return err
}

// writeSummary writes each shared root cause once, then each warning once.
func (r *Report) writeSummary(w io.Writer) {
	groups, warnings := r.Groups(), r.CaseWarnings()
	if len(groups)+len(warnings) > 0 {
		fmt.Fprintln(w)
	}
	for _, g := range groups {
		verb := "failed"
		if g.Status == Skip {
			verb = "not run"
		}
		fmt.Fprintf(w, "%d cases %s: %s (%s)\n", len(g.Cases), verb, g.Cause, caseList(g.Cases))
	}
	for _, wa := range warnings {
		fmt.Fprintf(w, "warning: %s (%s)\n", wa.Text, caseList(wa.Cases))
	}
}

// WriteJSON writes the report as one JSON document, with the verdict, the
// shared root causes and the gathered warnings.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		*Report
		OK           bool      `json:"ok"`
		Groups       []Group   `json:"groups,omitempty"`
		CaseWarnings []Warning `json:"caseWarnings,omitempty"`
	}{r, r.OK(), r.Groups(), r.CaseWarnings()})
}

// JUnit XML, as read by CI systems (Jenkins, GitLab, GitHub actions).
type junitSuites struct {
	XMLName xml.Name   `xml:"testsuites"`
	Suites  []junitSet `xml:"testsuite"`
}

type junitSet struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
	seconds  float64     // the sum of its cases' times
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes the report as JUnit XML: one test suite per
// transport, one testcase per case, named with its transport; a failed
// optional case is a passing testcase with its reason in system-out, so
// that it never fails a CI build.
func (r *Report) WriteJUnit(w io.Writer) error {
	var suites junitSuites
	at := map[Transport]int{}
	for _, res := range r.Results {
		i, seen := at[res.Transport]
		if !seen {
			i = len(suites.Suites)
			at[res.Transport] = i
			suites.Suites = append(suites.Suites, junitSet{Name: "openclaw-resolver-conformance over " + string(res.Transport)})
		}
		set := &suites.Suites[i]
		set.Tests++
		jc := junitCase{
			Name:      res.ID + " [" + string(res.Transport) + "] " + res.Rationale,
			Classname: "conformance." + string(res.Transport) + "." + strings.SplitN(res.ID, "-", 2)[0],
			Time:      seconds(res.Duration),
		}
		switch {
		case res.Status == Skip:
			set.Skipped++
			jc.Skipped = &junitMessage{Message: res.Reason}
		case res.Status == Fail && res.Optional:
			jc.SystemOut = "optional case failed: " + res.Reason
		case res.Status == Fail:
			set.Failures++
			jc.Failure = &junitMessage{Message: res.Reason, Text: res.Reason}
		}
		for _, warning := range res.Warnings {
			jc.SystemOut = strings.TrimPrefix(jc.SystemOut+"\nwarning: "+warning, "\n")
		}
		set.Cases = append(set.Cases, jc)
		set.seconds += res.Duration.Seconds()
	}
	for i := range suites.Suites {
		suites.Suites[i].Time = fmt.Sprintf("%.3f", suites.Suites[i].seconds)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(suites); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// transportList names transports for a reader: "exec, plugin, agent".
func transportList(ts []Transport) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}
