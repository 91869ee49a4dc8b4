package agent

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"syscall"
	"time"
)

// DialTimeout bounds the connect, inside ctx's deadline: an agent that does
// not accept within it is not worth waiting for.
const DialTimeout = time.Second

// Forward sends one batch to the agent at socket and returns its answer:
// a Reply whose Response or Failure is set. request is the exec request's
// JSON; config the caller's configuration digest. ctx's deadline bounds
// everything, and the agent is told what is left of it; the caller sets it
// early enough to resolve cold after a failure. Before sending, it checks
// that the socket file is the user's and 0600 and that the process
// accepting runs as the user. The error wraps ErrNoAgent, ErrRefused,
// ErrTimeout or ErrBroken (or ctx's error when ctx was cancelled); nothing
// has been answered then.
func Forward(ctx context.Context, socket, config string, request []byte) (Reply, error) {
	if ctx.Err() != nil {
		return Reply{}, contextError(ctx, socket)
	}
	info, err := os.Lstat(socket)
	if errors.Is(err, fs.ErrNotExist) {
		return Reply{}, fmt.Errorf("%w at %s", ErrNoAgent, socket)
	}
	if err != nil {
		return Reply{}, fmt.Errorf("%w at %s: %w", ErrNoAgent, socket, err)
	}
	if err := checkSocketFile(socket, info); err != nil {
		if errors.Is(err, ErrNotSocket) {
			return Reply{}, fmt.Errorf("%w: %w", ErrNoAgent, err)
		}
		return Reply{}, err
	}
	conn, err := dial(ctx, socket)
	if err != nil {
		return Reply{}, err
	}
	defer conn.Close()
	// Checked on the connection itself: a socket swapped after the Lstat
	// above still cannot be answered by another uid.
	uid, err := connPeerUID(conn)
	if err != nil {
		return Reply{}, fmt.Errorf("%w: reading the peer credentials of %s: %w", ErrRefused, socket, err)
	}
	if uid != os.Getuid() {
		return Reply{}, fmt.Errorf("%w: the process on %s runs as uid %d, not as you (uid %d)", ErrRefused, socket, uid, os.Getuid())
	}
	// The connection's deadline is ctx's, and ctx's end unblocks it early.
	if d, ok := ctx.Deadline(); ok {
		conn.SetDeadline(d)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()

	call := Call{Config: config, TimeoutMs: callTimeout(ctx).Milliseconds(), Request: request}
	var reply Reply
	err = writeJSON(conn, call)
	if err == nil {
		err = conn.CloseWrite()
	}
	if err == nil {
		err = readJSON(conn, &reply)
	}
	if err != nil {
		if ctx.Err() != nil {
			return Reply{}, contextError(ctx, socket)
		}
		if errors.Is(err, os.ErrDeadlineExceeded) { // ctx's deadline, just before ctx sees it
			return Reply{}, fmt.Errorf("%w: the agent on %s, before the deadline", ErrTimeout, socket)
		}
		return Reply{}, fmt.Errorf("%w: the agent on %s: %w", ErrBroken, socket, err)
	}
	return answerOf(socket, reply)
}

// answerOf is the caller's view of a reply: an answer (exactly one of
// Response and Failure), or the error the agent's refusal or timeout is.
func answerOf(socket string, r Reply) (Reply, error) {
	set := 0
	for _, ok := range []bool{r.Response != nil, r.Failure != nil, r.Refused != "", r.Timeout != ""} {
		if ok {
			set++
		}
	}
	switch {
	case set != 1:
		return Reply{}, fmt.Errorf("%w: the agent on %s answered %d of response, failure, refusal and timeout, not one", ErrBroken, socket, set)
	case r.Refused != "":
		return Reply{}, fmt.Errorf("%w: the agent on %s: %s", ErrRefused, socket, r.Refused)
	case r.Timeout != "":
		return Reply{}, fmt.Errorf("%w: the agent on %s: %s", ErrTimeout, socket, r.Timeout)
	}
	return r, nil
}

func dial(ctx context.Context, socket string) (*net.UnixConn, error) {
	dctx, cancel := context.WithTimeout(ctx, DialTimeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(dctx, "unix", socket)
	switch {
	case err == nil:
		return conn.(*net.UnixConn), nil
	case ctx.Err() != nil:
		return nil, contextError(ctx, socket)
	case dctx.Err() != nil:
		return nil, fmt.Errorf("%w: %s did not accept the connection within %s", ErrTimeout, socket, DialTimeout)
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%w: nothing listens on %s (a stale socket)", ErrNoAgent, socket)
	case errors.Is(err, fs.ErrPermission):
		return nil, fmt.Errorf("%w: connecting to %s: %w", ErrRefused, socket, err)
	}
	return nil, fmt.Errorf("%w: connecting to %s: %w", ErrNoAgent, socket, err)
}

func contextError(ctx context.Context, socket string) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w: the agent on %s, before the deadline", ErrTimeout, socket)
	}
	return fmt.Errorf("forwarding to the agent on %s: %w", socket, ctx.Err())
}
