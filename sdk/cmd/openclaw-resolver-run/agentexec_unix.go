//go:build unix

package main

import (
	"os"
	"syscall"
)

// exec replaces this process with the resolver's agent, in the command's
// directory as the gateway runs it: a service manager then supervises,
// signals and restarts the agent itself, not a parent that would have to
// relay all of that. It returns only when the resolver could not start.
func (s *agentStart) exec() error {
	if err := os.Chdir(s.dir); err != nil {
		return err
	}
	return syscall.Exec(s.command, s.argv, s.env)
}
