package clidoc

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// ErrUsage marks a bad command line of "completion" or "man".
var ErrUsage = errors.New("usage")

// Commands are the two commands every execref binary has, "completion"
// and "man", for its Doc's Commands; Run runs them.
func Commands() []Command {
	return []Command{
		{
			Name:    "completion",
			Usage:   "completion " + strings.Join(Shells, "|"),
			Summary: "print the shell's completion script (packages install it; or source it from the shell's startup file)",
			Words:   Shells,
		},
		{
			Name:    "man",
			Usage:   "man [--date YYYY-MM-DD]",
			Summary: "print this manual page as roff (read it with man -l)",
			Flags:   manFlags(new(string)),
		},
	}
}

// manFlags are the flags of "man".
func manFlags(date *string) *flag.FlagSet {
	fs := flag.NewFlagSet("man", flag.ContinueOnError)
	fs.StringVar(date, "date", "", "the page's date, `YYYY-MM-DD` (default: the day of SOURCE_DATE_EPOCH if set, else none; never today, so that the page is reproducible)")
	return fs
}

// Run runs command ("completion" or "man") with the arguments after it,
// writing the script or the page of d on stdout. Errors of the command
// line wrap ErrUsage.
func Run(d Doc, command string, args []string, stdout io.Writer) error {
	switch command {
	case "completion":
		return runCompletion(d, args, stdout)
	case "man":
		return runMan(d, args, stdout)
	}
	return fmt.Errorf("%w: no command %q", ErrUsage, command)
}

func runCompletion(d Doc, args []string, stdout io.Writer) error {
	shells := strings.Join(Shells, "|")
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		_, err := fmt.Fprintf(stdout, "usage: %s completion %s\n", d.Name, shells)
		return err
	}
	if len(args) != 1 {
		return fmt.Errorf("%w: completion takes one shell: %s completion %s", ErrUsage, d.Name, shells)
	}
	err := Completion(stdout, args[0], d)
	if errors.Is(err, ErrShell) {
		return fmt.Errorf("%w: %w", ErrUsage, err)
	}
	return err
}

func runMan(d Doc, args []string, stdout io.Writer) error {
	var date string
	fs := manFlags(&date)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			_, err := fmt.Fprintf(stdout, "usage: %s man [--date YYYY-MM-DD]\n", d.Name)
			return err
		}
		return fmt.Errorf("%w: man: %w", ErrUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: man takes no arguments, got %q", ErrUsage, fs.Arg(0))
	}
	var err error
	if date == "" {
		date, err = SourceDate(os.LookupEnv)
	} else {
		err = checkDate(date)
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUsage, err)
	}
	d.Date = date
	return Man(stdout, d)
}
