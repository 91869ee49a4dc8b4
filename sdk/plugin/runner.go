package plugin

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/plugin/resolverpb"
	"github.com/execref/execref/sdk/policy"
)

// ErrConnection is a go-plugin connection that failed while the resolver
// process was still running (or its exit could not be observed). It is
// wrapped in a *host.ProviderError.
var ErrConnection = errors.New("go-plugin connection to the resolver failed")

// Runner runs resolvers over go-plugin, with the shape of host.Runner:
//
//	var r host.Runner         // exec: one process per batch
//	var r plugin.Runner       // go-plugin: one process per provider, kept
//	results, err := r.Resolve(ctx, name, provider, ids)
//
// For the same resolver and ids both give the same results and errors:
// the same checks before anything runs (config, alias, ids,
// maxRefsPerProvider, maxBatchBytes), the same command-path policy before
// every call, a launch under the same rules (argv without a shell, an
// environment of passEnv + env + OPENCLAW_CLI=1 only, plus go-plugin's
// handshake variables, the command's directory as cwd, a process group of
// its own), timeoutMs for each call, maxOutputBytes for each answer, and
// the answer read by host.ParseResponse; a whole-provider failure is the
// *host.ProviderError with the exit status the exec resolver would have
// exited with. noOutputTimeoutMs has no meaning here: a call has no
// output until its answer.
//
// A Runner keeps each resolver process running across calls, one per
// distinct provider (name, command, args, cwd and environment), so that
// a backend's login and connections are reused. A call that times out,
// is cancelled or loses its connection kills that process; the next call
// starts a new one. Close kills them all: call it when done. A Runner is
// safe for concurrent use; concurrent calls for one provider share its
// process.
//
// A resolver built without the execref_plugin tag does not serve
// go-plugin: Resolve fails with an error that answers errors.Is(err,
// ErrNotServed), without starting it when its build information says so
// (CheckBuild), else once it has refused.
//
// The resolvers' stderr (diagnostic lines, already redacted by the SDK)
// goes to Stderr after a second redaction with every value that process
// returned; nil discards it. go-plugin's own logging is off.
type Runner struct {
	// LookupEnv reads this program's environment, the source of passEnv
	// values. Nil means os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// Stderr receives the resolvers' stderr lines, redacted.
	Stderr io.Writer

	mu     sync.Mutex
	procs  map[string]*client
	closed bool
}

// errTimeoutMs cancels a call at the provider's timeoutMs.
var errTimeoutMs = errors.New("timeoutMs reached")

// errClosed: Resolve after Close.
var errClosed = errors.New("plugin runner is closed")

// Resolve resolves ids of provider name over go-plugin; see host.Runner's
// Resolve for the checks, the results and the errors.
func (r *Runner) Resolve(ctx context.Context, name string, p host.Provider, ids []string) (map[string]host.Result, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := protocol.ValidateProvider(name); err != nil {
		return nil, err
	}
	unique, err := host.RequestIDs(name, ids)
	if err != nil {
		return nil, err
	}
	if len(unique) == 0 {
		return map[string]host.Result{}, nil
	}
	if len(unique) > host.MaxRefsPerProvider {
		return nil, &host.ProviderError{Provider: name, Err: host.ErrTooManyRefs, Limit: host.MaxRefsPerProvider}
	}
	// The policy runs before every call, as before every exec run: a
	// command that became unsafe is not used again, even if running.
	abs := host.CommandPath(p.Command)
	if err := policy.CheckCommand(name, abs, p.TrustedDirs); err != nil {
		return nil, err
	}
	req := protocol.EncodeRequest(protocol.Request{ProtocolVersion: protocol.Version, Provider: name, IDs: unique})
	if len(req) > host.MaxBatchBytes {
		return nil, &host.ProviderError{Provider: name, Err: host.ErrBatchTooLarge, Limit: host.MaxBatchBytes}
	}
	if err := ctx.Err(); err != nil {
		return nil, &host.ProviderError{Provider: name, Err: err}
	}

	lim := p.Limits()
	deadline := time.Now().Add(time.Duration(lim.TimeoutMs) * time.Millisecond)
	startCtx, cancelStart := context.WithDeadline(ctx, deadline)
	defer cancelStart()
	c, err := r.client(startCtx, name, abs, p)
	var pe *host.ProviderError
	switch {
	case errors.As(err, &pe):
		return nil, err // already the provider's error: nothing was started
	case err != nil:
		return nil, r.callError(ctx, startCtx, name, lim, c, err)
	}
	// timeoutMs is the host's limit, not the resolver's: as an exec
	// resolver answers by its own --timeout and is killed at timeoutMs,
	// the call carries no deadline of timeoutMs (gRPC would hand it to the
	// resolver, which would answer TIMEOUT per id just before it) and is
	// cancelled at timeoutMs instead. A deadline of the caller's ctx is
	// passed on, and capped there by --timeout.
	callCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	timer := time.AfterFunc(time.Until(deadline), func() { cancel(errTimeoutMs) })
	defer timer.Stop()
	resp, err := c.resolve(callCtx, &resolverpb.ResolveRequest{ProtocolVersion: protocol.Version, Provider: name, Ids: unique}, lim.MaxOutputBytes)
	if err != nil {
		return nil, r.callError(ctx, callCtx, name, lim, c, err)
	}
	defer c.stderr.flush()
	return answer(name, resp, unique, lim, c.stderr)
}

// Close stops every resolver process the Runner started and waits for
// them: each is asked to stop, so that its backend releases what it kept
// warm (a login, a token), and killed if it has not stopped within two
// seconds. Resolve fails afterwards.
func (r *Runner) Close() error {
	r.mu.Lock()
	procs := r.procs
	r.procs, r.closed = nil, true
	r.mu.Unlock()
	var wg sync.WaitGroup
	for _, c := range procs {
		wg.Go(c.close)
	}
	wg.Wait()
	return nil
}

// client returns the running process for this provider, or starts one.
func (r *Runner) client(ctx context.Context, name, abs string, p host.Provider) (*client, error) {
	env := host.ChildEnv(p, r.lookupEnv())
	key := clientKey(name, abs, p.Args, env)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, &host.ProviderError{Provider: name, Err: host.ErrStart, Cause: errClosed}
	}
	if c := r.procs[key]; c != nil && !c.gp.Exited() {
		return c, nil
	} else if c != nil {
		delete(r.procs, key)
		c.kill()
	}
	// A resolver built without go-plugin is told from its build
	// information, without starting it: it would only refuse.
	if CheckBuild(abs) != nil {
		return nil, notServed(name, abs)
	}
	// Starting under the lock keeps one process per provider when calls
	// race; the start is bounded by the call's deadline.
	c, err := startClient(ctx, abs, p.Args, env, r.Stderr)
	if err != nil {
		return c, err
	}
	if r.procs == nil {
		r.procs = map[string]*client{}
	}
	c.key = key
	r.procs[key] = c
	return c, nil
}

// drop kills c and forgets it, unless another call already replaced it.
func (r *Runner) drop(c *client) {
	r.mu.Lock()
	if r.procs[c.key] == c {
		delete(r.procs, c.key)
	}
	r.mu.Unlock()
	c.kill()
}
