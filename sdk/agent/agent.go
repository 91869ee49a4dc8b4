package agent

import (
	"context"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"google.golang.org/grpc"

	"github.com/execref/execref/sdk/plugin/resolverpb"
)

// Defaults for Options' durations.
const (
	// DefaultIdleTimeout keeps the agent through a session's restarts and
	// reloads of the gateway, not through the night.
	DefaultIdleTimeout = 15 * time.Minute
	// DefaultMaxLifetime bounds how long credentials and client state stay
	// in one process's memory, however busy it is.
	DefaultMaxLifetime = 8 * time.Hour
)

// drainSlack is what a call gets past its deadline to send its answer
// before a stopping agent closes the connections.
const drainSlack = time.Second

// maxMessageBytes is the largest message either side accepts: well above
// the gateway's largest output limit (20 MiB of JSON, which the same
// values in protobuf do not exceed).
const maxMessageBytes = 32 << 20

// Options configure an agent.
type Options struct {
	// Socket is the socket's absolute path (DefaultSocket gives the
	// default). Its directory is created 0700 if missing and must be the
	// user's and not writable by others.
	Socket string
	// Config is the agent's configuration digest: a batch whose config
	// differs is refused (codes.FailedPrecondition, ErrRefused for
	// Forward).
	Config string
	// IdleTimeout: the agent stops after this long with no call
	// (DefaultIdleTimeout when zero).
	IdleTimeout time.Duration
	// MaxLifetime: the agent stops this long after it started, busy or
	// not; calls in flight may finish up to their deadline
	// (DefaultMaxLifetime when zero).
	MaxLifetime time.Duration
	// Logf receives one line per event worth an operator's eye (a stale
	// socket removed, a peer refused, why the agent stops); never a value.
	// Nil writes to stderr.
	Logf func(format string, args ...any)
}

// Agent is a listening agent: its socket exists and accepts; Serve answers.
type Agent struct {
	opts    Options
	lock    *os.File
	lis     *net.UnixListener
	socket  fs.FileInfo
	signals chan os.Signal
}

// Serve is Listen and (*Agent).Serve.
func Serve(ctx context.Context, opts Options, srv resolverpb.ResolverServer) error {
	a, err := Listen(ctx, opts)
	if err != nil {
		return err
	}
	return a.Serve(ctx, srv)
}

// Listen prepares the socket's directory, takes the socket's lock (one
// agent per socket: ErrAgentRunning), replaces a stale socket file
// (refusing a live one or a file that is not a socket) and listens with a
// 0600 socket. Call Serve, or Close to give up.
func Listen(ctx context.Context, opts Options) (*Agent, error) {
	if err := checkSocketPath(opts.Socket); err != nil {
		return nil, err
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	if opts.MaxLifetime <= 0 {
		opts.MaxLifetime = DefaultMaxLifetime
	}
	if opts.Logf == nil {
		opts.Logf = func(format string, args ...any) {
			fmt.Fprintf(os.Stderr, "agent: "+format+"\n", args...)
		}
	}
	if err := prepareDir(filepath.Dir(opts.Socket)); err != nil {
		return nil, err
	}
	lock, err := lockSocket(opts.Socket)
	if err != nil {
		return nil, err
	}
	if err := clearPath(ctx, opts.Socket, opts.Logf); err != nil {
		lock.Close()
		return nil, err
	}
	// Caught from before the socket exists: SIGTERM between Listen and
	// Serve still stops the agent cleanly (Serve sees it at once).
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	lis, info, err := listenPrivate(opts.Socket)
	if err != nil {
		signal.Stop(signals)
		lock.Close()
		return nil, err
	}
	return &Agent{opts: opts, lock: lock, lis: lis, socket: info, signals: signals}, nil
}

// Socket is the path the agent listens on.
func (a *Agent) Socket() string { return a.opts.Socket }

// Close stops listening and removes the socket; Serve does it on its way
// out.
func (a *Agent) Close() error {
	signal.Stop(a.signals)
	err := a.lis.Close()
	removeSocket(a.opts.Socket, a.socket)
	a.lock.Close()
	return err
}

// Serve answers calls with srv, through the configuration guard, until
// ctx ends, SIGTERM or SIGINT arrives, the agent has been idle for
// IdleTimeout, or it has lived MaxLifetime. Then it stops accepting, lets
// the calls in flight finish up to their deadlines (a second signal cuts
// that short), removes the socket and returns nil. It returns an error
// only when serving itself fails.
func (a *Agent) Serve(ctx context.Context, srv resolverpb.ResolverServer) error {
	defer a.Close()
	signals := a.signals

	act := newActivity(a.opts.IdleTimeout)
	gs := grpc.NewServer(
		grpc.UnaryInterceptor(act.intercept),
		grpc.MaxRecvMsgSize(maxMessageBytes),
		grpc.MaxSendMsgSize(maxMessageBytes),
	)
	resolverpb.RegisterResolverServer(gs, &guard{next: srv, config: a.opts.Config, logf: a.opts.Logf})
	served := make(chan error, 1)
	go func() { served <- gs.Serve(&peerListener{UnixListener: a.lis, logf: a.opts.Logf}) }()

	lifetime := time.NewTimer(a.opts.MaxLifetime)
	defer lifetime.Stop()
	a.opts.Logf("listening on %s (idle timeout %s, maximum lifetime %s)", a.opts.Socket, a.opts.IdleTimeout, a.opts.MaxLifetime)
	select {
	case err := <-served:
		gs.Stop()
		return fmt.Errorf("serving on %s: %w", a.opts.Socket, err)
	case <-ctx.Done():
		a.opts.Logf("stopping: %v", context.Cause(ctx))
	case sig := <-signals:
		a.opts.Logf("stopping: received %v", sig)
	case <-act.idled():
		a.opts.Logf("stopping: idle for %s", a.opts.IdleTimeout)
	case <-lifetime.C:
		a.opts.Logf("stopping: maximum lifetime %s reached", a.opts.MaxLifetime)
	}
	// New callers find no socket from here on and resolve cold.
	removeSocket(a.opts.Socket, a.socket)
	if a.drain(gs, act, signals) {
		<-served
	}
	return nil
}

// drain stops gs gracefully: no new calls, the ones in flight until
// their deadline (the interceptor answers every call by then) and
// drainSlack. It reports whether gs stopped; it does not when a
// connection outlives that, or on a second signal, and the caller, about
// to exit, need not wait.
func (a *Agent) drain(gs *grpc.Server, act *activity, signals <-chan os.Signal) bool {
	done := make(chan struct{})
	go func() {
		gs.GracefulStop()
		close(done)
	}()
	for {
		// A call accepted just before GracefulStop may register its
		// deadline after the first look: look again before giving up.
		t := time.NewTimer(max(time.Until(act.latestDeadline().Add(drainSlack)), 0))
		select {
		case <-done:
			t.Stop()
			return true
		case sig := <-signals:
			t.Stop()
			a.opts.Logf("received %v again: not waiting for the calls in flight", sig)
			return false
		case <-t.C:
		}
		if time.Now().After(act.latestDeadline().Add(drainSlack)) {
			a.opts.Logf("connections still open past the calls' deadlines: not waiting for them")
			return false
		}
	}
}
