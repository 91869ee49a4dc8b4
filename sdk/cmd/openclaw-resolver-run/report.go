package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/execref/execref/sdk/host"
)

// printFailure reports a whole-provider failure: the gateway's sentence
// and code first, then what the gateway never shows. The stderr excerpt
// is left out when it would only repeat the reason, unless verbose.
func printFailure(w io.Writer, err error, d host.Diagnosis, verbose bool) {
	fmt.Fprintf(w, "openclaw-resolver-run: %v [%s]\n", err, host.UserCode(err))
	if d.Status != "" {
		fmt.Fprintf(w, "  status: %s: %s\n", d.Status, d.Meaning)
	}
	ran := d.Status != "" && !strings.HasPrefix(d.Status, "not ")
	switch {
	case d.Reason != "":
		fmt.Fprintf(w, "  reason: %s\n", d.Reason)
	case ran:
		fmt.Fprintln(w, "  reason: none given: the resolver wrote nothing on stderr")
	}
	if d.Hint != "" {
		fmt.Fprintf(w, "  hint:   %s\n", d.Hint)
	}
	if verbose || !onlyReason(d) {
		printExcerpt(w, "  stderr", "    ", d.Stderr)
	}
}

// onlyReason tells whether stderr holds nothing but the reason line.
func onlyReason(d host.Diagnosis) bool {
	return len(d.Stderr.Lines) == 0 || (len(d.Stderr.Lines) == 1 && d.Stderr.Omitted == 0 && strings.HasSuffix(d.Stderr.Lines[0], d.Reason))
}

// printStderr shows a resolver's stderr after a run that did not fail as
// a whole: the warnings an operator must hear, or --verbose diagnostics.
func printStderr(w io.Writer, ex host.Excerpt) {
	printExcerpt(w, "openclaw-resolver-run: the resolver's stderr", "  ", ex)
}

// printExcerpt prints a title saying how much is shown, then the lines.
func printExcerpt(w io.Writer, title, indent string, ex host.Excerpt) {
	if len(ex.Lines) == 0 {
		return
	}
	count := fmt.Sprintf("%d lines", len(ex.Lines))
	switch {
	case ex.Omitted > 0:
		count = fmt.Sprintf("last %d of %d lines", len(ex.Lines), len(ex.Lines)+ex.Omitted)
	case len(ex.Lines) == 1:
		count = "1 line"
	}
	fmt.Fprintf(w, "%s (%s, redacted):\n", title, count)
	for _, l := range ex.Lines {
		fmt.Fprintf(w, "%s%s\n", indent, l)
	}
}
