package sdk

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// ParseFlags parses args with fs so that a bad command line costs exactly
// one line, which the caller prints: the flag package would otherwise
// print its own report of the error (and the usage) before returning it.
// On -h or --help it calls usage and returns flag.ErrHelp. Other errors
// name the flag and end with a pointer to --help.
func ParseFlags(fs *flag.FlagSet, args []string, usage func()) error {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		if usage != nil {
			usage()
		}
		return err
	case err != nil:
		return fmt.Errorf("%w (see --help)", err)
	}
	return nil
}

// PrintFlags prints a flag set's flags the way every execref command shows
// them: --name, the value's placeholder, the usage and the default.
func PrintFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		fmt.Fprintf(w, "  --%s %s\n    \t%s", f.Name, name, usage)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
}
