package sdktest

import (
	"context"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/agent"
)

// Batch asks h, a resolver's batch server (sdk.NewResolverServer), for ids
// of provider as one batch, as the agent does for the exec side.
func Batch(ctx context.Context, h agent.Handler, provider string, ids ...string) agent.Reply {
	return h.Resolve(ctx, protocol.EncodeRequest(protocol.Request{ProtocolVersion: protocol.Version, Provider: provider, IDs: ids}))
}
