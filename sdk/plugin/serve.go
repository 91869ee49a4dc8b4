package plugin

import (
	"io"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"

	"github.com/execref/execref/sdk/agent"
)

// Serve serves h, a batch handler (sdk.NewResolverServer's), to the
// go-plugin host that started this process, until the host closes the
// connection or kills the process; go-plugin then exits the process.
// go-plugin's own log lines (errors only: they name addresses and
// failures, never a batch's data, which exists only inside h) go to logw,
// which sdk.Main prefixes with the program's name; so does the one line
// of a response that cannot be encoded.
//
// sdk.Main calls it only in builds with the execref_plugin tag: package
// plugin links go-plugin, gRPC and protobuf, whose package init an exec
// run would pay for (docs/sdk.md, "go-plugin").
func Serve(h agent.Handler, logw io.Writer) {
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         goplugin.PluginSet{pluginName: &resolverPlugin{server: &handlerServer{h: h, log: logw}}},
		GRPCServer:      goplugin.DefaultGRPCServer,
		Logger: hclog.New(&hclog.LoggerOptions{
			Name:   "go-plugin",
			Level:  hclog.Error,
			Output: logw,
		}),
	})
}
