package agent

import (
	"context"
	"crypto/subtle"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/execref/execref/sdk/plugin/resolverpb"
)

// refusedConfig is the whole of what a caller with another configuration
// learns: neither digest, nor what went into them.
const refusedConfig = "the agent runs with another configuration than the caller's: start the agent with the same flags as the exec side"

// guard answers only the batches asked with the agent's own configuration
// digest, so that no batch is ever answered from another configuration.
type guard struct {
	resolverpb.UnimplementedResolverServer
	next   resolverpb.ResolverServer
	config string
}

func (g *guard) Resolve(ctx context.Context, req *resolverpb.ResolveRequest) (*resolverpb.ResolveResponse, error) {
	if subtle.ConstantTimeCompare([]byte(req.GetConfig()), []byte(g.config)) != 1 {
		return nil, status.Error(codes.FailedPrecondition, refusedConfig)
	}
	return g.next.Resolve(ctx, req)
}
