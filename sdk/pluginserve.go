package sdk

import (
	"io"

	"github.com/execref/execref/sdk/plugin"
)

// servePlugin serves p, its flags parsed into opts, over go-plugin until
// the host lets it go; go-plugin then exits the process.
func servePlugin(p Program, opts options, stderr io.Writer) int {
	plugin.Serve(newResolverServer(p, opts, stderr), &prefixWriter{prefix: p.Name + ": ", w: stderr})
	return ExitOK
}
