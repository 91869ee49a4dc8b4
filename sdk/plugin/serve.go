package plugin

import (
	"io"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"

	"github.com/execref/execref/sdk/plugin/resolverpb"
)

// Serve serves srv to the go-plugin host that started this process, until
// the host closes the connection or kills the process; go-plugin then
// exits the process. go-plugin's own log lines (errors only: they name
// addresses and failures, never a batch's data, which exists only inside
// srv) go to logw, which sdk.Main prefixes with the program's name.
func Serve(srv resolverpb.ResolverServer, logw io.Writer) {
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         goplugin.PluginSet{pluginName: &resolverPlugin{server: srv}},
		GRPCServer:      goplugin.DefaultGRPCServer,
		Logger: hclog.New(&hclog.LoggerOptions{
			Name:   "go-plugin",
			Level:  hclog.Error,
			Output: logw,
		}),
	})
}
