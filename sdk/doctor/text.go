package doctor

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// ANSI styles, used only when the caller asks for colour.
const (
	ansiReset = "\x1b[0m"
	ansiBold  = "\x1b[1m"
	ansiGreen = "\x1b[32m"
	ansiAmber = "\x1b[33m"
	ansiRed   = "\x1b[1;31m"
)

// WriteText renders the report for a person: the config, then each
// provider with its checks, then every ref, aligned in columns, and a
// verdict line. color adds ANSI colours to statuses and headings.
func WriteText(w io.Writer, rep *Report, color bool) error {
	t := &textWriter{color: color}
	t.line(t.bold("openclaw.json") + " " + rep.Config)
	for _, n := range rep.Notes {
		t.line("note: " + n)
	}
	if len(rep.Findings) > 0 {
		t.line("")
		t.line(t.bold("config"))
		t.findings(rep.Findings)
	}
	for _, p := range rep.Providers {
		t.line("")
		t.line(t.bold("provider "+p.Name) + " " + p.Command + " " + usedBy(p))
		if p.Resolver != "" {
			t.line("  resolver: " + p.Resolver + " (asked to check itself)")
		}
		t.findings(p.Findings)
	}
	if len(rep.Refs) > 0 {
		t.line("")
		t.line(t.bold("refs"))
		t.refs(rep.Refs)
	}
	t.line("")
	t.line(t.verdict(rep))
	_, err := io.WriteString(w, t.b.String())
	return err
}

type textWriter struct {
	b     strings.Builder
	color bool
}

func (t *textWriter) line(s string) { t.b.WriteString(s + "\n") }

func (t *textWriter) paint(style, s string) string {
	if !t.color {
		return s
	}
	return style + s + ansiReset
}

func (t *textWriter) bold(s string) string { return t.paint(ansiBold, s) }

// status is a status word padded to one width, coloured when asked.
func (t *textWriter) status(s Status) string {
	word := fmt.Sprintf("%-4s", s)
	switch s {
	case StatusOK:
		return t.paint(ansiGreen, word)
	case StatusWarn:
		return t.paint(ansiAmber, word)
	}
	return t.paint(ansiRed, word)
}

// findings prints one line per finding, details aligned after the widest
// check name, and the fix under the detail.
func (t *textWriter) findings(fs []Finding) {
	width := 0
	for _, f := range fs {
		width = max(width, utf8.RuneCountInString(f.Check))
	}
	indent := strings.Repeat(" ", 2+4+2+width+2)
	for _, f := range fs {
		t.line("  " + t.status(f.Status) + "  " + pad(f.Check, width) + "  " + f.Detail)
		if f.Fix != "" {
			t.line(indent + "fix: " + f.Fix)
		}
	}
}

// refs prints one line per ref (path, provider:id, then the masked
// length or the gateway's code) and, under a failed one, the reason and
// the fix.
func (t *textWriter) refs(refs []Ref) {
	pw, rw := 0, 0
	for _, r := range refs {
		pw = max(pw, utf8.RuneCountInString(r.Path))
		rw = max(rw, utf8.RuneCountInString(r.Provider+":"+r.ID))
	}
	for _, r := range refs {
		what := r.Code
		switch r.Status {
		case StatusOK:
			what = fmt.Sprintf("•••••• (%d chars)", r.Length)
		case StatusWarn:
			what = "not checked"
		}
		t.line("  " + t.status(r.Status) + "  " + pad(r.Path, pw) + "  " + pad(r.Provider+":"+r.ID, rw) + "  " + what)
		if r.Status == StatusOK {
			continue
		}
		t.line("        " + r.Reason)
		if r.Fix != "" {
			t.line("        fix: " + r.Fix)
		}
	}
}

func (t *textWriter) verdict(rep *Report) string {
	s := rep.Summary
	text := fmt.Sprintf("%d %s: %d ok, %d failed", s.Refs, plural(s.Refs, "ref", "refs"), s.OK, s.Failed)
	if s.Unchecked > 0 {
		text += fmt.Sprintf(", %d not checked", s.Unchecked)
	}
	if s.Failures > 0 {
		text += fmt.Sprintf("; %d failed %s", s.Failures, plural(s.Failures, "check", "checks"))
	}
	if s.Warnings > 0 {
		text += fmt.Sprintf("; %d %s", s.Warnings, plural(s.Warnings, "warning", "warnings"))
	}
	if rep.OK {
		return t.paint(ansiGreen, "ok") + "  " + text
	}
	return t.paint(ansiRed, "FAIL") + "  " + text
}

func usedBy(p Provider) string {
	if p.Refs == 0 {
		return "(no ref uses it)"
	}
	return fmt.Sprintf("(%d %s)", p.Refs, plural(p.Refs, "id", "ids"))
}

func pad(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-utf8.RuneCountInString(s)))
}
