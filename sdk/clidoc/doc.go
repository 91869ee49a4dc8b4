// Package clidoc describes a command line built on the standard flag
// package once, and writes from that description its --help text, its
// section-1 man page and its bash, zsh and fish completions. The flags come
// from the *flag.FlagSet the program parses with, so none of these can
// drift from what the program accepts.
package clidoc

import "flag"

// Doc describes one program's command line.
type Doc struct {
	// Name is the binary's name, e.g. "openclaw-sops-resolver".
	Name string
	// Summary is one line, lower case and without a final period: the
	// man page's NAME line and the start of --help.
	Summary string
	// Usage lists the ways to run the program that are not commands,
	// e.g. {"[flags]", "answer one request from stdin"}.
	Usage []Form
	// Description is paragraphs of prose. Help keeps their line breaks;
	// Man fills them.
	Description []string
	// Commands are the subcommands, in the order to show them.
	Commands []Command
	// Flags are the program's own flags (before any command).
	Flags *flag.FlagSet
	// Args is what the program's positional arguments are, besides
	// commands, for completion.
	Args Kind
	// Exit lists the exit statuses.
	Exit []ExitStatus
	// Notes are paragraphs after the exit statuses.
	Notes []string
	// SeeAlso names related pages, e.g. "openclaw-resolver-run(1)".
	SeeAlso []string
	// Source is the man page's source, e.g. "execref v1.2.3".
	Source string
	// Date is the man page's date, YYYY-MM-DD. It is never the time of
	// the build (see DateFrom); empty leaves it out.
	Date string
}

// Form is one way to run a program: the arguments after its name and
// what that does.
type Form struct {
	Usage   string // e.g. "--command PATH [flags] ID..."
	Summary string // one line, e.g. "resolve the ids through a provider block given as flags"
}

// Command is a subcommand.
type Command struct {
	// Name is the word that selects it, e.g. "install".
	Name string
	// Usage is its form after the program's name, e.g.
	// "install [--dir DIR] [--name NAME]" or "[flags] check"; empty means
	// Name alone.
	Usage string
	// Summary is one line for --help and the man page.
	Summary string
	// Description is paragraphs the man page shows below the summary.
	Description []string
	// Flags are its own flags, parsed after its name; nil if none.
	Flags *flag.FlagSet
	// Words are the words its arguments complete to, e.g. the shells of
	// "completion".
	Words []string
	// Args is what its other arguments are, for completion.
	Args Kind
}

// ExitStatus is one exit status and what it means.
type ExitStatus struct {
	Code    int
	Meaning string
}

// Kind is what a flag's value or a positional argument is, so that a
// completion offers files only where a file is wanted.
type Kind int

const (
	Other Kind = iota // an id, a name, a number: nothing to complete
	File              // a file
	Dir               // a directory
)

// usage is the command's form after the program's name.
func (c Command) usage() string {
	if c.Usage == "" {
		return c.Name
	}
	return c.Usage
}
