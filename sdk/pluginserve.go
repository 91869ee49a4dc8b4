//go:build execref_plugin

package sdk

import (
	"fmt"
	"io"

	"github.com/execref/execref/sdk/plugin"
)

// servePlugin serves p, its flags parsed into opts, over go-plugin until
// the host lets it go; go-plugin then exits the process. Only builds with
// the execref_plugin tag link it (docs/sdk.md, "go-plugin").
func servePlugin(p Program, opts options, stderr io.Writer) int {
	log := &prefixWriter{prefix: p.Name + ": ", w: stderr}
	defer closeBackend(p, func(format string, args ...any) { fmt.Fprintf(log, format+"\n", args...) })
	plugin.Serve(newResolverServer(p, opts, stderr), log)
	return ExitOK
}
