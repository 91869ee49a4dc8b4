package clidoc_test

import (
	"flag"
	"time"

	"github.com/execref/execref/sdk/clidoc"
)

// demoDoc is a program with every kind of flag (a duration, a file, a
// directory, a name, a boolean), a command with flags of its own, and the
// two commands every execref binary has; its texts hold what roff must
// escape.
func demoDoc() clidoc.Doc {
	fs := flag.NewFlagSet("clidoc-demo", flag.ContinueOnError)
	fs.Duration("timeout", 4*time.Second, "answer by this deadline: `duration` after start")
	fs.String("file", "", "the secrets `file`, relative to the binary's directory")
	fs.String("trusted-dir", "", "`DIR` the files must be inside, repeatable")
	fs.String("name", "", "the provider `NAME` (default: demo)")
	fs.Bool("verbose", false, "print diagnostics on stderr (never values)")
	install := flag.NewFlagSet("install", flag.ContinueOnError)
	install.String("dest", "", "copy into `DIR`")
	d := clidoc.Doc{
		Name:    "clidoc-demo",
		Summary: "a program to test clidoc — with a dash",
		Usage:   []clidoc.Form{{Usage: "[flags]", Summary: "answer one request from stdin"}},
		Description: []string{
			"First paragraph, with a backslash \\ and {\"ids\":[\"…\"]}.",
			".TH would be a request at the start of a line,",
			"'and so would this; neither is here.",
		},
		Flags: fs,
		Commands: []clidoc.Command{
			{Name: "check", Usage: "[flags] check", Summary: "check the configuration"},
			{Name: "install", Usage: "install [--dest DIR]", Summary: "copy the binary", Description: []string{"Then print the block."}, Flags: install},
		},
		Exit:    []clidoc.ExitStatus{{Code: 0, Meaning: "fine"}, {Code: 64, Meaning: "usage"}},
		Notes:   []string{"Values never appear on stderr."},
		SeeAlso: []string{"openclaw-resolver-run(1)", "docs/protocol.md"},
		Source:  "execref v1.2.3",
		Date:    "2026-01-02",
	}
	d.Commands = append(d.Commands, clidoc.Commands()...)
	return d
}
