package clidoc

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// helpWidth is where --help wraps the one-line summaries.
const helpWidth = 80

// Help writes the --help text: the summary, every form and command with
// its summary, the description, the flags, the exit statuses and the
// notes.
func Help(w io.Writer, d Doc) error {
	bw := bufio.NewWriter(w)
	for _, line := range wrap(d.Name+": "+d.Summary+".", helpWidth) {
		fmt.Fprintln(bw, line)
	}
	fmt.Fprint(bw, "\nUsage:\n")
	for _, f := range d.Usage {
		writeForm(bw, d.Name, f.Usage, f.Summary)
	}
	for _, c := range d.Commands {
		writeForm(bw, d.Name, c.usage(), c.Summary)
	}
	for _, p := range d.Description {
		fmt.Fprintf(bw, "\n%s\n", strings.TrimSpace(p))
	}
	if d.Flags != nil {
		fmt.Fprint(bw, "\nFlags:\n")
		PrintFlags(bw, d.Flags)
	}
	if len(d.Exit) > 0 {
		fmt.Fprint(bw, "\nExit status:\n")
		for _, e := range d.Exit {
			fmt.Fprintf(bw, "  %-3d %s\n", e.Code, e.Meaning)
		}
	}
	for _, p := range d.Notes {
		fmt.Fprintf(bw, "\n%s\n", strings.TrimSpace(p))
	}
	return bw.Flush()
}

// writeForm writes "  NAME USAGE" and, below it, the summary wrapped.
func writeForm(w io.Writer, name, usage, summary string) {
	fmt.Fprintf(w, "  %s\n", strings.TrimSpace(name+" "+usage))
	const indent = "      "
	for _, line := range wrap(summary, helpWidth-len(indent)) {
		fmt.Fprintf(w, "%s%s\n", indent, line)
	}
}

// wrap fills text into lines of at most width columns, breaking only
// between words (a longer word gets a line of its own).
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case len(line)+1+len(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
