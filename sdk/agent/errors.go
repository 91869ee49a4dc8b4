package agent

import "errors"

// Forward's errors, one sentinel each; the returned error wraps one of
// them (errors.Is) and says what happened. In every case the caller can
// resolve cold instead: nothing was answered.
var (
	// ErrNoAgent: nothing answers at the socket (no file, not a socket,
	// or a stale socket nobody listens on).
	ErrNoAgent = errors.New("no agent")
	// ErrRefused: one side refused the other: the agent runs with another
	// configuration, or the socket or the process behind it is not the
	// user's (or the socket is open to others).
	ErrRefused = errors.New("agent refused")
	// ErrTimeout: the agent did not answer before ctx's deadline (or did
	// not accept the connection within DialTimeout).
	ErrTimeout = errors.New("agent did not answer in time")
	// ErrBroken: the connection broke or the agent failed the call after
	// the batch was sent, for instance because it was killed mid-batch.
	// A server that closes the connection because of the caller's uid
	// looks like this too: the client cannot tell the two apart.
	ErrBroken = errors.New("agent connection broke")
)

// Listen's errors.
var (
	// ErrUnsafeDir: the socket's directory is a symlink, not a directory,
	// not the user's, or writable by group or others.
	ErrUnsafeDir = errors.New("unsafe agent directory")
	// ErrNotSocket: something other than a socket is at the socket's path.
	ErrNotSocket = errors.New("not a socket")
	// ErrAgentRunning: another agent already serves this socket.
	ErrAgentRunning = errors.New("an agent is already running")
	// ErrSocketPath: the path cannot be a unix socket's (empty, relative,
	// or too long for the system).
	ErrSocketPath = errors.New("unusable socket path")
	// ErrUnsupported: this system has no peer credentials to check, so the
	// agent would not know who it talks to.
	ErrUnsupported = errors.New("the agent is not supported on this system")
)
