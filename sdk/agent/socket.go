package agent

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/execref/execref/sdk/policy"
)

// maxSocketPath is the longest socket path every supported system takes
// (sun_path is 104 bytes on macOS and FreeBSD, 108 on Linux, NUL
// included); past it bind fails with a bare "invalid argument".
const maxSocketPath = 103

// liveProbe bounds the connect that tells a live socket from a stale one.
const liveProbe = 500 * time.Millisecond

func checkSocketPath(path string) error {
	switch {
	case path == "":
		return fmt.Errorf("%w: empty", ErrSocketPath)
	case !filepath.IsAbs(path):
		return fmt.Errorf("%w: %s is not absolute", ErrSocketPath, path)
	case len(path) > maxSocketPath:
		return fmt.Errorf("%w: %s is %d bytes long, more than the %d a unix socket's path can have: choose a shorter --socket", ErrSocketPath, path, len(path), maxSocketPath)
	}
	return nil
}

// clearPath makes way for the socket: a stale socket (nobody accepts on
// it) is removed; a socket someone accepts on, or anything that is not a
// socket, is refused. The caller holds the socket's lock, so no other
// agent is starting at the same time.
func clearPath(ctx context.Context, path string, logf func(string, ...any)) error {
	info, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if info.Mode().Type() != fs.ModeSocket {
		return fmt.Errorf("%w: %s is a %s: move it away or give the agent another --socket", ErrNotSocket, path, describeType(info.Mode()))
	}
	probe, cancel := context.WithTimeout(ctx, liveProbe)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(probe, "unix", path)
	if err == nil {
		conn.Close()
		return fmt.Errorf("%w: something accepts connections on %s: stop it first, or give this agent another --socket", ErrAgentRunning, path)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("probing the existing socket %s: %w", path, err)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("removing the stale socket %s: %w", path, err)
	}
	logf("removed the stale socket %s (nothing listened on it)", path)
	return nil
}

func describeType(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "directory"
	case m&fs.ModeSymlink != 0:
		return "symlink"
	case m.IsRegular():
		return "regular file"
	}
	return "special file"
}

// listenPrivate listens on a unix socket at path that nobody else could
// ever connect to: it binds inside a fresh 0700 directory next to path,
// sets the socket 0600 and checks it, then renames it into place. Setting
// the umask instead would change it for the whole process, under every
// other goroutine's feet, while it is set.
func listenPrivate(path string) (*net.UnixListener, fs.FileInfo, error) {
	private, err := os.MkdirTemp(filepath.Dir(path), ".b")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(private)
	bound := filepath.Join(private, "s")
	lis, err := net.ListenUnix("unix", &net.UnixAddr{Name: bound, Net: "unix"})
	if err != nil {
		return nil, nil, fmt.Errorf("listening on %s: %w", path, err)
	}
	// The name changes below; Close must not unlink by the old name, and
	// removeSocket unlinks by the new one only if it is still this socket.
	lis.SetUnlinkOnClose(false)
	fail := func(err error) (*net.UnixListener, fs.FileInfo, error) {
		lis.Close()
		return nil, nil, err
	}
	if err := os.Chmod(bound, 0o600); err != nil {
		return fail(err)
	}
	info, err := os.Lstat(bound)
	if err != nil {
		return fail(err)
	}
	if err := checkSocketFile(bound, info); err != nil {
		return fail(fmt.Errorf("the new socket: %w", err))
	}
	if err := os.Rename(bound, path); err != nil {
		return fail(fmt.Errorf("moving the socket into place: %w", err))
	}
	return lis, info, nil
}

// checkSocketFile is what both sides require of the socket file: a socket,
// the user's, mode 0600.
func checkSocketFile(path string, info fs.FileInfo) error {
	if info.Mode().Type() != fs.ModeSocket {
		return fmt.Errorf("%w: %s is a %s", ErrNotSocket, path, describeType(info.Mode()))
	}
	if owner, ok := policy.FileOwner(info); ok && owner != os.Getuid() {
		return fmt.Errorf("%w: the socket %s is owned by uid %d, not by you (uid %d)", ErrRefused, path, owner, os.Getuid())
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		return fmt.Errorf("%w: the socket %s has mode %04o, not 0600", ErrRefused, path, perm)
	}
	return nil
}

// removeSocket unlinks path if it is still the agent's socket (and not one
// that replaced it).
func removeSocket(path string, ours fs.FileInfo) {
	if info, err := os.Lstat(path); err == nil && os.SameFile(info, ours) {
		os.Remove(path)
	}
}
