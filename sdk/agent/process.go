package agent

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/execref/execref/sdk/host"
)

// The host side of the agent: starting a resolver's agent process as an
// operator, a service manager, the conformance suite or a test does, and
// stopping it. One implementation, so that every starter gives the agent
// exactly the provider's configuration (the agent refuses any other) and
// waits for it the same way.

// ProcessConfig is how StartProcess starts a provider's resolver as its
// agent.
type ProcessConfig struct {
	// Provider is the provider as the gateway runs it: its Command, Args
	// and environment become the agent's.
	Provider host.Provider
	// LookupEnv is the gateway's own environment, from which the
	// provider's passEnv variables are copied (host.ChildEnv); nil is this
	// process's, as for host.Runner, whose LookupEnv the exec side of the
	// same provider should share.
	LookupEnv func(string) (string, bool)
	// Socket is the agent's socket. "" puts it in a fresh private
	// directory (TempDir), removed once the process has ended.
	Socket string
	// Flags are the agent command's own flags, after "agent --socket S"
	// (--cache-ttl, --idle-timeout, --max-lifetime).
	Flags []string
	// Stderr receives what the agent writes on stderr and stdout (an SDK
	// agent writes nothing on stdout; anything it does is shown with its
	// log). nil discards it.
	Stderr io.Writer
}

// Process is an agent's process, started and listening.
type Process struct {
	socket  string
	program string // the command's base name, for messages
	ownDir  string // the directory StartProcess made for the socket, or ""
	cmd     *exec.Cmd
	said    *LogBuffer
	done    chan struct{} // closed once the process has been waited for
	// served is the socket another process served at the path when this
	// one started, or nil: not this agent's.
	served fs.FileInfo
}

// saidMax bounds the end of stderr a ProcessError quotes.
const saidMax = 4 << 10

// StartProcess starts `COMMAND ARGS... agent --socket SOCKET FLAGS...` as
// the gateway would start the provider's command: the environment
// host.ChildEnv builds (so that the configuration digests match), the
// command's directory as its working directory. It returns once the
// socket accepts connections; ctx bounds that wait only, not the
// process's life. On error nothing is left running, and the error is a
// *ProcessError.
func StartProcess(ctx context.Context, c ProcessConfig) (*Process, error) {
	socket, ownDir := c.Socket, ""
	if socket == "" {
		dir, err := TempDir()
		if err != nil {
			return nil, &ProcessError{Err: ErrProcessStart, Cause: err, Program: filepath.Base(c.Provider.Command)}
		}
		socket, ownDir = filepath.Join(dir, "agent.sock"), dir
	}
	command := host.CommandPath(c.Provider.Command)
	args := slices.Concat([]string{command}, c.Provider.Args, []string{"agent", "--socket", socket}, c.Flags)
	lookup := c.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	env := host.ChildEnv(c.Provider, lookup)
	// Made anew for each attempt: an exec.Cmd starts once. The path is
	// the command as given (no PATH lookup), as the gateway runs it.
	newCmd := func() *exec.Cmd {
		return &exec.Cmd{Path: command, Args: args, Env: env, Dir: filepath.Dir(command), Stdout: c.Stderr, Stderr: c.Stderr}
	}
	return start(ctx, newCmd, true, socket, ownDir)
}

// StartCommand starts cmd, an agent's command line however it is spelled
// (a service manager's `openclaw-resolver-run agent PROVIDER`, a resolver
// left to find its default socket), and returns once socket accepts
// connections, as StartProcess does. cmd must not have been started; its
// Stderr, when set, still gets everything.
func StartCommand(ctx context.Context, cmd *exec.Cmd, socket string) (*Process, error) {
	return start(ctx, func() *exec.Cmd { return cmd }, false, socket, "")
}

// start starts the command newCmd makes (again, when retryBusy, while the
// binary is busy) and waits until socket accepts.
func start(ctx context.Context, newCmd func() *exec.Cmd, retryBusy bool, socket, ownDir string) (*Process, error) {
	p := &Process{socket: socket, ownDir: ownDir, said: &LogBuffer{Max: saidMax}, done: make(chan struct{})}
	if info, ok := accepts(ctx, socket); ok {
		p.served = info
	}
	for {
		p.cmd = newCmd()
		p.program = filepath.Base(p.cmd.Path)
		if p.cmd.Stderr == nil {
			p.cmd.Stderr = p.said
		} else {
			p.cmd.Stderr = io.MultiWriter(p.cmd.Stderr, p.said)
		}
		err := p.cmd.Start()
		if err == nil {
			break
		}
		// A binary that a process forked meanwhile still holds open for
		// writing (it was just copied into place) is busy for a moment
		// (golang.org/issue/22315); starting again succeeds.
		if !retryBusy || !errors.Is(err, syscall.ETXTBSY) || sleep(ctx, 20*time.Millisecond) != nil {
			p.removeDir()
			return nil, p.error(ErrProcessStart, err)
		}
	}
	go func() {
		_ = p.cmd.Wait() // how it ended is in cmd.ProcessState
		p.removeDir()
		close(p.done)
	}()
	if err := p.awaitListening(ctx); err != nil {
		p.Kill()
		return nil, err
	}
	return p, nil
}

// awaitListening polls until the socket accepts a connection. An agent
// moves its socket into place once it listens (listenPrivate), so the
// file alone would do but for a stale socket of an earlier agent at the
// same path, which the connection tells apart, and a socket another
// agent serves, which is not this one's (this one exits: ErrExitedEarly).
// The connection carries no call: no activity for the idle timeout.
func (p *Process) awaitListening(ctx context.Context) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-p.done:
			return p.error(ErrExitedEarly, nil)
		default:
		}
		if info, ok := accepts(ctx, p.socket); ok && !sameSocket(info, p.served) {
			return nil
		}
		select {
		case <-p.done:
			return p.error(ErrExitedEarly, nil)
		case <-ctx.Done():
			return p.error(ErrNotListening, ctx.Err())
		case <-tick.C:
		}
	}
}

// accepts returns the socket at path when something accepts on it.
func accepts(ctx context.Context, path string) (fs.FileInfo, bool) {
	info, err := os.Lstat(path)
	if err != nil || info.Mode().Type() != fs.ModeSocket {
		return nil, false
	}
	dial, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(dial, "unix", path)
	if err != nil {
		return nil, false
	}
	conn.Close()
	return info, true
}

// sameSocket tells whether a and b are the same socket file, not a new
// one that took the old one's inode number.
func sameSocket(a, b fs.FileInfo) bool {
	return a != nil && b != nil && os.SameFile(a, b) && a.ModTime().Equal(b.ModTime())
}

// Socket is the agent's socket.
func (p *Process) Socket() string { return p.socket }

// Pid is the process's id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Done is closed once the process has ended and been reaped (its stderr
// read to the end).
func (p *Process) Done() <-chan struct{} { return p.done }

// State is how the process ended, or nil while it runs.
func (p *Process) State() *os.ProcessState {
	select {
	case <-p.done:
		return p.cmd.ProcessState
	default:
		return nil
	}
}

// Signal sends sig to the process (SIGKILL included: Done tells when it
// has ended).
func (p *Process) Signal(sig os.Signal) error { return p.cmd.Process.Signal(sig) }

// Stop stops the agent as a service manager does: SIGTERM (it finishes
// the batches in flight, releases what it keeps and removes its socket),
// then waits for it until ctx ends, and kills it if it still runs then.
// It returns nil when the process ended with status 0 (before Stop too),
// else a *ProcessError wrapping ErrExitStatus or ErrStopTimeout.
func (p *Process) Stop(ctx context.Context) error {
	select {
	case <-p.done:
		return p.exit()
	default:
	}
	// A process that cannot be signalled has ended, or ends by the kill
	// below.
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.exit()
	case <-ctx.Done():
		p.Kill()
		return p.error(ErrStopTimeout, ctx.Err())
	}
}

// Kill kills the process, if it still runs, and returns once it has been
// reaped.
func (p *Process) Kill() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Kill()
	<-p.done
}

// exit is nil for a process that ended with status 0, else its
// ProcessError; the process has ended.
func (p *Process) exit() error {
	if p.cmd.ProcessState.Success() {
		return nil
	}
	return p.error(ErrExitStatus, nil)
}

// error is a ProcessError about p.
func (p *Process) error(kind, cause error) *ProcessError {
	return &ProcessError{Err: kind, Cause: cause, Program: p.program, Socket: p.socket, State: p.State(), Stderr: p.said.String()}
}

// removeDir removes the socket's directory StartProcess made, with the
// socket a killed agent leaves.
func (p *Process) removeDir() {
	if p.ownDir != "" {
		os.RemoveAll(p.ownDir)
	}
}

// sleep waits d, or less when ctx ends first (its error then).
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
