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

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/execref/execref/sdk/plugin/resolverpb"
)

// DialTimeout bounds the connect, inside ctx's deadline: an agent that does
// not accept within it is not worth waiting for.
const DialTimeout = time.Second

// Forward sends one batch to the agent at socket and returns its answer.
// ctx's deadline bounds everything; the caller sets it early enough to
// resolve cold after a failure. Before sending, it checks that the socket
// file is the user's and 0600 and that the process accepting runs as the
// user. The error wraps ErrNoAgent, ErrRefused, ErrTimeout or ErrBroken
// (or ctx's error when ctx was cancelled); nothing has been answered then.
func Forward(ctx context.Context, socket string, req *resolverpb.ResolveRequest) (*resolverpb.ResolveResponse, error) {
	if ctx.Err() != nil {
		return nil, contextError(ctx, socket)
	}
	info, err := os.Lstat(socket)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w at %s", ErrNoAgent, socket)
	}
	if err != nil {
		return nil, fmt.Errorf("%w at %s: %w", ErrNoAgent, socket, err)
	}
	if err := checkSocketFile(socket, info); err != nil {
		if errors.Is(err, ErrNotSocket) {
			return nil, fmt.Errorf("%w: %w", ErrNoAgent, err)
		}
		return nil, err
	}
	conn, err := dial(ctx, socket)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	// Checked on the connection itself: a socket swapped after the Lstat
	// above still cannot be answered by another uid.
	uid, err := connPeerUID(conn)
	if err != nil {
		return nil, fmt.Errorf("%w: reading the peer credentials of %s: %w", ErrRefused, socket, err)
	}
	if uid != os.Getuid() {
		return nil, fmt.Errorf("%w: the process on %s runs as uid %d, not as you (uid %d)", ErrRefused, socket, uid, os.Getuid())
	}
	cc, err := grpc.NewClient("passthrough:///execref-agent",
		// No TLS: the kernel's peer credentials authenticate both ends of
		// a unix socket, and nothing leaves the machine.
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithContextDialer(once(conn)),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxMessageBytes)),
	)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBroken, err)
	}
	defer cc.Close()
	resp, err := resolverpb.NewResolverClient(cc).Resolve(ctx, req)
	if err != nil {
		return nil, callError(ctx, socket, err)
	}
	return resp, nil
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

// once hands gRPC the connection already dialled and checked, and nothing
// else: no reconnect can reach a socket that was not checked.
func once(conn net.Conn) func(context.Context, string) (net.Conn, error) {
	used := make(chan struct{}, 1)
	used <- struct{}{}
	return func(context.Context, string) (net.Conn, error) {
		select {
		case <-used:
			return conn, nil
		default:
			return nil, errors.New("the agent's connection was lost")
		}
	}
}

func callError(ctx context.Context, socket string, err error) error {
	if ctx.Err() != nil {
		return contextError(ctx, socket)
	}
	st := status.Convert(err)
	switch st.Code() {
	case codes.DeadlineExceeded:
		return fmt.Errorf("%w: the agent on %s: %s", ErrTimeout, socket, st.Message())
	case codes.FailedPrecondition, codes.PermissionDenied:
		return fmt.Errorf("%w: the agent on %s: %s", ErrRefused, socket, st.Message())
	}
	return fmt.Errorf("%w: the agent on %s: %s: %s", ErrBroken, socket, st.Code(), st.Message())
}

func contextError(ctx context.Context, socket string) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w: the agent on %s, before the deadline", ErrTimeout, socket)
	}
	return fmt.Errorf("forwarding to the agent on %s: %w", socket, ctx.Err())
}
