//go:build !(linux || darwin || freebsd)

package agent

import (
	"os"
	"syscall"
)

// Without peer credentials the agent cannot know who connects: it refuses
// to run, and the client refuses to talk.

func lockSocket(string) (*os.File, error) { return nil, ErrUnsupported }

func peerUID(syscall.RawConn) (int, error) { return 0, ErrUnsupported }
