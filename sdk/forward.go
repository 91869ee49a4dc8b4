package sdk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/agent"
)

// agentShare is the part of the deadline the agent gets before the exec
// side stops waiting and resolves cold in what is left: an agent answers
// in milliseconds or not at all, and a cold start needs the rest.
const agentShare = 2

// resolveVia answers req through the agent at socket when it can, and
// cold (here, as without an agent) when it cannot, all before ctx's
// deadline: the agent is absent, refuses (another configuration, another
// user), breaks, fails the whole batch, or does not answer within the
// first half of the time. Ids the agent answered with TIMEOUT are resolved
// here in what is left. The response is the one a cold run gives; with
// --verbose, stderr says which way it went and why.
func resolveVia(ctx context.Context, socket string, be Backend, req protocol.Request, opts options, con *console) (protocol.Response, *batchFailure) {
	start := time.Now()
	deadline, _ := ctx.Deadline()
	fctx, cancel := context.WithDeadline(ctx, start.Add(deadline.Sub(start)/agentShare))
	defer cancel()
	out, err := agent.Forward(fctx, socket, opts.config, protocol.EncodeRequest(req))
	if err == nil && out.Failure != nil {
		err = fmt.Errorf("the agent on %s failed the batch (exit status %d): %s", socket, out.Failure.ExitStatus, out.Failure.Reason)
	}
	var resp protocol.Response
	if err == nil {
		resp, err = execResponse(req.IDs, *out.Response, con)
	}
	if err != nil {
		con.debugf("resolving cold: %v", err)
		return runBatch(ctx, be, req, opts, opts.timeout, con)
	}
	con.debugf("answered by the agent on %s in %s", socket, time.Since(start).Round(time.Microsecond))
	var late []string
	for _, id := range req.IDs {
		if e, ok := resp.Errors[id]; ok && e.Code == protocol.Timeout {
			late = append(late, id)
		}
	}
	if len(late) == 0 {
		return resp, nil
	}
	con.debugf("resolving %d ids cold that the agent did not resolve in time", len(late))
	rest, fail := runBatch(ctx, be, protocol.Request{ProtocolVersion: req.ProtocolVersion, Provider: req.Provider, IDs: late}, opts, opts.timeout, con)
	if fail != nil {
		return resp, nil // the agent's answer stands: TIMEOUT for those ids
	}
	for _, id := range late {
		if v, ok := rest.Values[id]; ok {
			resp.Values[id] = v
			delete(resp.Errors, id)
		} else if e, ok := rest.Errors[id]; ok {
			resp.Errors[id] = e
		}
	}
	return resp, nil
}

// execResponse is the agent's answer to ids as the exec response it
// stands for. Every value is added to the console's redaction before
// anything could print it. An answer a cold run could not give (another
// protocol version, an id asked and not answered or answered twice, an id
// not asked, a value that is not a string, an error of no known code) is
// refused whole, so that the exec side resolves cold: an agent of another
// build of the resolver (upgraded while it ran) must not change the
// response.
func execResponse(ids []string, out protocol.Response, con *console) (protocol.Response, error) {
	for _, v := range out.Values {
		if s, ok := v.(string); ok {
			con.red.Add(s)
		}
	}
	if out.ProtocolVersion != protocol.Version {
		return protocol.Response{}, fmt.Errorf("the agent answered with protocolVersion %d", out.ProtocolVersion)
	}
	asked := make(map[string]bool, len(ids))
	for _, id := range ids {
		asked[id] = true
	}
	for id := range out.Values {
		if _, both := out.Errors[id]; both || !asked[id] {
			return protocol.Response{}, errors.New("the agent's answer has ids that were not asked, or answered twice")
		}
	}
	for id, e := range out.Errors {
		if !asked[id] {
			return protocol.Response{}, errors.New("the agent's answer has ids that were not asked")
		}
		if !e.Code.Known() {
			return protocol.Response{}, errors.New("the agent's answer has an error of no known code")
		}
	}
	if len(out.Values)+len(out.Errors) != len(asked) {
		return protocol.Response{}, errors.New("the agent's answer leaves ids unanswered")
	}
	for _, v := range out.Values {
		if _, ok := v.(string); !ok {
			return protocol.Response{}, errors.New("the agent's value for an id is not a JSON string")
		}
	}
	if out.Errors == nil {
		out.Errors = map[string]protocol.Error{}
	}
	return out, nil
}
