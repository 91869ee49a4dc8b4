package clidoc

import (
	"fmt"
	"strings"
)

// AsCommand is the Doc of a subcommand with --help of its own (such as
// "openclaw-resolver-run doctor") as a Command of its parent's Doc, so
// that both come from one description: its first form, summary,
// description and flags, and its exit statuses as a last paragraph.
func (d Doc) AsCommand(name string) Command {
	c := Command{Name: name, Usage: name, Summary: d.Summary, Flags: d.Flags, Args: d.Args}
	if len(d.Usage) > 0 {
		c.Usage = strings.TrimSpace(name + " " + d.Usage[0].Usage)
	}
	c.Description = append(c.Description, d.Description...)
	if len(d.Exit) > 0 {
		statuses := make([]string, len(d.Exit))
		for i, e := range d.Exit {
			statuses[i] = fmt.Sprintf("%d %s", e.Code, e.Meaning)
		}
		c.Description = append(c.Description, "Exit status: "+strings.Join(statuses, "; ")+".")
	}
	return c
}
