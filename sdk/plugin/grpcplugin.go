package plugin

import (
	"context"
	"errors"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/execref/execref/sdk/plugin/resolverpb"
)

// errNoServer: a host asked its client-side plugin to serve.
var errNoServer = errors.New("execref plugin: no resolver server on this side")

// resolverPlugin is the glue go-plugin needs on both sides: the server
// side registers the Resolver service, the client side returns its stub.
type resolverPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	server resolverpb.ResolverServer // nil on the host side
}

func (p *resolverPlugin) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	if p.server == nil {
		return errNoServer
	}
	resolverpb.RegisterResolverServer(s, p.server)
	return nil
}

func (p *resolverPlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return resolverpb.NewResolverClient(c), nil
}
