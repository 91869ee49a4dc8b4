//go:build linux || darwin || freebsd

package agent

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// lockSocket takes the lock that makes one agent per socket: an exclusive
// flock on <socket>.lock, held for the agent's life and released by the
// kernel however the process ends, so a lock that is free means any
// socket file left at the path is stale. It holds the owner's pid, for the
// message the next agent gives.
func lockSocket(socket string) (*os.File, error) {
	path := socket + ".lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|unix.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the agent's lock %s: %w", path, err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			pid, _ := os.ReadFile(path)
			return nil, fmt.Errorf("%w on %s (pid %s): stop it first, or give this one another --socket", ErrAgentRunning, socket, orUnknown(strings.TrimSpace(string(pid))))
		}
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
