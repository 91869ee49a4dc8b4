//go:build linux || darwin || freebsd

package agent_test

import (
	"context"
	"strings"
	"sync/atomic"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/agent"
)

// echo is the in-test backend: every id's value names the id. Special ids
// make it behave: "missing" gets NOT_FOUND, "sleep:<duration>" answers
// after that long, "block" waits for the call's end, "hang" ignores the
// call's end and waits for release.
type echo struct {
	calls   atomic.Int64
	started func(id string) // told when a slow id starts; may be nil
	release chan struct{}
}

func newEcho() *echo { return &echo{release: make(chan struct{})} }

func (e *echo) Resolve(ctx context.Context, request []byte) agent.Reply {
	e.calls.Add(1)
	req, err := protocol.ParseRequest(request)
	if err != nil {
		return agent.Reply{Failure: &agent.Failure{ExitStatus: 66, Reason: err.Error()}}
	}
	resp := protocol.Response{ProtocolVersion: req.ProtocolVersion, Values: map[string]any{}, Errors: map[string]protocol.Error{}}
	for _, id := range req.IDs {
		if e.started != nil && (id == "block" || id == "hang" || strings.HasPrefix(id, "sleep:")) {
			e.started(id)
		}
		switch {
		case id == "missing":
			resp.Errors[id] = protocol.Error{Code: protocol.NotFound, Message: "no such secret"}
			continue
		case id == "block":
			<-ctx.Done()
			return agent.Reply{Timeout: "blocked until the deadline"}
		case id == "hang":
			<-e.release
		case strings.HasPrefix(id, "sleep:"):
			d, err := time.ParseDuration(strings.TrimPrefix(id, "sleep:"))
			if err != nil {
				return agent.Reply{Failure: &agent.Failure{ExitStatus: 66, Reason: err.Error()}}
			}
			time.Sleep(d)
		}
		resp.Values[id] = "value of " + id
	}
	return agent.Reply{Response: &resp}
}
