package sdk

import (
	"errors"
	"io"
	"slices"
	"sort"
)

// Commander is implemented by a Backend whose binary offers subcommands
// of its own, beside serve, check, version and help: a helper for users,
// such as `openclaw-1password-resolver encode REFERENCE`, which prints the
// id to write in openclaw.json. The resolver's main.go stays one call to
// Main; the commands live with the backend.
//
// Commands maps a name to its command. A name that is also a built-in
// command (see builtins) is never reached.
type Commander interface {
	Commands() map[string]Command
}

// Command is one subcommand: `NAME [provider flags...] CMD ARGS...`.
// Flags before CMD are parsed as for serving (the backend's too), so a
// command sees the same configuration Resolve would.
type Command struct {
	// Args is the arguments' synopsis for --help, e.g. "REFERENCE...".
	Args string
	// Summary is one line for --help, e.g. "print the id for a reference".
	Summary string
	// Run runs the command with the arguments after its name. It writes
	// its output on stdout. A returned error is printed as one line on
	// stderr, redacted like everything the SDK prints, and decides the
	// exit status: wrap ErrUsage for bad arguments (64), ErrConfig (78),
	// or the protocol codes as for Resolve; anything else exits 1.
	Run func(args []string, stdout io.Writer) error
}

// ErrUsage marks a command line that cannot be used: a missing or bad
// argument of a Command. It exits 64, as a bad flag does.
var ErrUsage = errors.New("usage")

// builtins are the commands the SDK gives every resolver.
var builtins = []string{"check", "version", "help", "install", "config", "completion", "man", "agent"}

// commandsOf returns the backend's commands, sorted by name, without
// those a built-in command shadows.
func commandsOf(be Backend) (map[string]Command, []string) {
	c, ok := be.(Commander)
	if !ok {
		return nil, nil
	}
	cmds := c.Commands()
	var names []string
	for name := range cmds {
		if !slices.Contains(builtins, name) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return cmds, names
}

// runCommand runs a backend's command and returns the exit status. A
// panic is exit 70 with a redacted reason, as in Resolve.
func runCommand(cmd Command, args []string, stdout io.Writer, con *console) (status int) {
	defer func() {
		if v := recover(); v != nil {
			con.printf("internal error: panic: %s", describePanic(v))
			status = ExitInternal
		}
	}()
	err := cmd.Run(args, stdout)
	if err == nil {
		return ExitOK
	}
	con.printf("%v", err)
	if errors.Is(err, ErrUsage) {
		return ExitUsage
	}
	return exitStatus(err)
}
