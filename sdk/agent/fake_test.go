//go:build linux || darwin || freebsd

package agent_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync/atomic"
	"time"

	"google.golang.org/grpc/status"

	"github.com/execref/execref/sdk/plugin/resolverpb"
)

// echo is the in-test backend: every id's value names the id. Special ids
// make it behave: "missing" gets NOT_FOUND, "sleep:<duration>" answers
// after that long, "block" waits for the call's end, "hang" ignores the
// call's end and waits for release.
type echo struct {
	resolverpb.UnimplementedResolverServer
	calls   atomic.Int64
	started func(id string) // told when a slow id starts; may be nil
	release chan struct{}
}

func newEcho() *echo { return &echo{release: make(chan struct{})} }

func (e *echo) Resolve(ctx context.Context, req *resolverpb.ResolveRequest) (*resolverpb.ResolveResponse, error) {
	e.calls.Add(1)
	resp := &resolverpb.ResolveResponse{
		ProtocolVersion: req.GetProtocolVersion(),
		Values:          map[string][]byte{},
		Errors:          map[string]*resolverpb.IDError{},
	}
	for _, id := range req.GetIds() {
		if e.started != nil && (id == "block" || id == "hang" || strings.HasPrefix(id, "sleep:")) {
			e.started(id)
		}
		switch {
		case id == "missing":
			resp.Errors[id] = &resolverpb.IDError{Code: "NOT_FOUND", Message: "no such secret"}
			continue
		case id == "block":
			<-ctx.Done()
			return nil, status.FromContextError(ctx.Err()).Err()
		case id == "hang":
			<-e.release
		case strings.HasPrefix(id, "sleep:"):
			d, err := time.ParseDuration(strings.TrimPrefix(id, "sleep:"))
			if err != nil {
				return nil, err
			}
			time.Sleep(d)
		}
		value, _ := json.Marshal("value of " + id)
		resp.Values[id] = value
	}
	return resp, nil
}
