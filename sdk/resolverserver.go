package sdk

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/agent"
	"github.com/execref/execref/sdk/redact"
)

// usageError keeps the flag package's message as it is and answers
// errors.Is(err, ErrUsage).
type usageError struct{ err error }

func (e *usageError) Error() string        { return e.err.Error() }
func (e *usageError) Unwrap() error        { return e.err }
func (e *usageError) Is(target error) bool { return target == ErrUsage }

// NewResolverServer returns p's batch resolve for the transports that keep
// the resolver running: the agent (sdk.Main's agent command) and go-plugin
// (builds with the execref_plugin tag), and for Go programs that answer
// batches in their own process. args are the resolver's flags, as the exec
// provider's args (--timeout, --concurrency, --verbose and the backend's
// own); a subcommand is refused with ErrUsage. Each Resolve call is one
// batch, its request the exec request's JSON, answered exactly as one exec
// run would answer it, with its own deadline: the context's, capped by
// --timeout. Diagnostics of a batch are written to stderr once the batch
// is over, redacted with its values, one line each prefixed with p.Name;
// nothing else is written.
//
// The backend's Resolve is called once per call, possibly concurrently.
// args are parsed into p.Backend's flags: call this once per Backend.
func NewResolverServer(p Program, args []string, stderr io.Writer) (agent.Handler, error) {
	opts, cmd, err := parseArgs(p, args)
	switch {
	case err != nil:
		return nil, &usageError{err}
	case cmd != cmdServe:
		return nil, &usageError{fmt.Errorf("a resolver server takes flags only, got a command (%q)", strings.Join(args, " "))}
	}
	return newResolverServer(p, opts, stderr), nil
}

// newResolverServer is NewResolverServer once the flags are parsed.
func newResolverServer(p Program, opts options, stderr io.Writer) *resolverServer {
	return &resolverServer{p: p, opts: opts, stderr: stderr}
}

type resolverServer struct {
	p      Program
	opts   options
	stderr io.Writer
	cache  *valueCache // the agent's --cache-ttl; nil: values are never kept
}

func (s *resolverServer) Resolve(ctx context.Context, request []byte) agent.Reply {
	start := time.Now()
	deadline, timeout := start.Add(s.opts.timeout), s.opts.timeout
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline, timeout = d, d.Sub(start).Round(time.Millisecond)
	}
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()

	// One console per batch: its redactor holds this batch's values only,
	// and its lines are written when the batch is over, as in exec mode.
	con := &console{name: s.p.Name, w: s.stderr, red: &redact.Redactor{}, verbose: s.opts.verbose}
	defer con.flush()

	// The exec protocol's own decoder: every transport accepts and
	// refuses exactly the same requests.
	req, err := protocol.ParseRequest(request)
	if err != nil {
		con.printf("%v", err)
		return failureReply(ExitBadRequest, err, con)
	}
	var hits map[string]string
	if s.cache != nil {
		hits = s.cache.get(req.Provider, req.IDs)
		for _, v := range hits {
			con.red.Add(v)
		}
		req.IDs = slices.DeleteFunc(slices.Clone(req.IDs), func(id string) bool { _, ok := hits[id]; return ok })
		con.debugf("%d ids answered from memory (--cache-ttl)", len(hits))
	}
	resp, fail := runBatch(ctx, s.p.Backend, req, s.opts, timeout, con)
	if fail != nil {
		return failureReply(fail.status, fail.err, con)
	}
	if s.cache != nil {
		fresh := map[string]string{}
		for id, v := range resp.Values {
			if str, ok := v.(string); ok {
				fresh[id] = str
			}
		}
		s.cache.put(req.Provider, fresh)
		for id, v := range hits {
			resp.Values[id] = v
		}
	}
	con.debugf("answered %d values, errors %s, in %s", len(resp.Values), summarize(resp.Errors), time.Since(start).Round(time.Millisecond))
	resp.ProtocolVersion = protocol.Version
	return agent.Reply{Response: &resp}
}

// failureReply is a whole-provider failure with the one line an exec
// resolver prints for it: redacted, newlines escaped, no name prefix.
func failureReply(status int, err error, con *console) agent.Reply {
	return agent.Reply{Failure: &agent.Failure{
		ExitStatus: status,
		Reason:     strings.ReplaceAll(con.red.String(err.Error()), "\n", `\n`),
	}}
}
