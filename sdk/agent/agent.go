package agent

import (
	"context"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"
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

// callReadTime bounds reading a call: the exec side writes it at once, so
// a connection that sends nothing is not left holding the agent.
const callReadTime = 10 * time.Second

// Options configure an agent.
type Options struct {
	// Socket is the socket's absolute path (DefaultSocket gives the
	// default). Its directory is created 0700 if missing and must be the
	// user's and not writable by others.
	Socket string
	// Config is the agent's configuration digest: a batch whose config
	// differs is refused (ErrRefused for Forward).
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
func Serve(ctx context.Context, opts Options, h Handler) error {
	a, err := Listen(ctx, opts)
	if err != nil {
		return err
	}
	return a.Serve(ctx, h)
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

// Serve answers calls with h, through the configuration guard, until ctx
// ends, SIGTERM or SIGINT arrives, the agent has been idle for
// IdleTimeout, or it has lived MaxLifetime. Then it stops accepting, lets
// the calls in flight finish up to their deadlines (a second signal cuts
// that short), removes the socket and returns nil. It returns an error
// only when serving itself fails.
func (a *Agent) Serve(ctx context.Context, h Handler) error {
	defer a.Close()
	signals := a.signals

	act := newActivity(a.opts.IdleTimeout)
	g := &guard{next: h, config: a.opts.Config, logf: a.opts.Logf}
	var calls sync.WaitGroup
	served := make(chan error, 1)
	lis := &peerListener{UnixListener: a.lis, logf: a.opts.Logf}
	go func() {
		for {
			conn, err := lis.Accept()
			if err != nil {
				served <- err
				return
			}
			calls.Add(1)
			go func() {
				defer calls.Done()
				a.answer(conn, g, act)
			}()
		}
	}()

	lifetime := time.NewTimer(a.opts.MaxLifetime)
	defer lifetime.Stop()
	a.opts.Logf("listening on %s (idle timeout %s, maximum lifetime %s)", a.opts.Socket, a.opts.IdleTimeout, a.opts.MaxLifetime)
	select {
	case err := <-served:
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
	a.lis.Close()
	<-served // no connection is accepted after this, so calls only shrinks
	a.drain(&calls, act, signals)
	return nil
}

// answer reads one call from conn, answers it and closes conn.
func (a *Agent) answer(conn net.Conn, g *guard, act *activity) {
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(callReadTime))
	var call Call
	if err := readJSON(conn, &call); err != nil {
		a.opts.Logf("dropped a connection: reading its call: %v", err)
		return
	}
	// Compared in milliseconds: a huge timeoutMs would overflow a Duration.
	timeout := maxCallTime
	if call.TimeoutMs > 0 && call.TimeoutMs < maxCallTime.Milliseconds() {
		timeout = time.Duration(call.TimeoutMs) * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	reply := act.run(ctx, func(ctx context.Context) Reply { return g.resolve(ctx, call) })
	deadline, _ := ctx.Deadline()
	conn.SetWriteDeadline(deadline.Add(drainSlack))
	if err := writeJSON(conn, reply); err != nil {
		// The caller gave up or went away; it resolves cold.
		a.opts.Logf("could not send an answer: %v", err)
	}
}

// drain waits for the calls in flight: until their deadline (run answers
// every call by then) and drainSlack. It stops waiting past that, or on a
// second signal; the caller, about to exit, need not wait longer.
func (a *Agent) drain(calls *sync.WaitGroup, act *activity, signals <-chan os.Signal) {
	done := make(chan struct{})
	go func() {
		calls.Wait()
		close(done)
	}()
	for {
		// A call accepted just before the listener closed may register
		// its deadline after the first look: look again before giving up.
		t := time.NewTimer(max(time.Until(act.latestDeadline().Add(drainSlack)), 0))
		select {
		case <-done:
			t.Stop()
			return
		case sig := <-signals:
			t.Stop()
			a.opts.Logf("received %v again: not waiting for the calls in flight", sig)
			return
		case <-t.C:
		}
		if time.Now().After(act.latestDeadline().Add(drainSlack)) {
			a.opts.Logf("connections still open past the calls' deadlines: not waiting for them")
			return
		}
	}
}
