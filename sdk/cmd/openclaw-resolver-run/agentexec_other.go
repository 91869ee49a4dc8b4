//go:build !unix

package main

import "errors"

// exec: the agent listens on a unix socket and checks its peers' uid,
// which only unix systems give (see package agent).
func (s *agentStart) exec() error {
	return errors.New("the agent runs on unix systems only")
}
