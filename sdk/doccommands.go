package sdk

import (
	"errors"
	"io"

	"github.com/execref/execref/sdk/clidoc"
)

// DocSource is the man page's source line of an execref binary: "execref"
// and the version, as `version` prints it.
func DocSource() string { return "execref " + version() }

// docCommand is the built-in completion or man command, run as a
// backend's command is: the script or the page of the resolver's own
// command line on stdout.
func docCommand(p Program, name string) Command {
	return Command{Run: func(args []string, stdout io.Writer) error {
		err := clidoc.Run(programDoc(p), name, args, stdout)
		if errors.Is(err, clidoc.ErrUsage) {
			return classed{err, ErrUsage}
		}
		return err
	}}
}
