//go:build !execref_plugin

package sdk

import (
	"fmt"
	"io"

	"github.com/execref/execref/sdk/plugin/handshake"
)

// servePlugin, in a build without the execref_plugin tag, refuses the
// go-plugin host that started the process: this build does not link
// go-plugin, gRPC and protobuf, whose package init would cost every exec
// run more than a small resolver's whole run (docs/sdk.md, "go-plugin").
// One line and ExitConfig, at once: stdin is not read (a go-plugin host
// never writes it) and nothing waits for a handshake that cannot come.
func servePlugin(p Program, _ options, stderr io.Writer) int {
	fmt.Fprintf(stderr, "%s: %s\n", p.Name, handshake.NotServed)
	return ExitConfig
}
