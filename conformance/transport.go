package conformance

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/plugin"
)

// Transport is how the suite reaches the target. An SDK-built resolver is
// one binary that answers over all three, and must answer the same way
// over each: a bug in state kept between batches shows only over plugin
// and agent, where the process outlives a batch.
type Transport string

const (
	// Exec runs the target once per batch, as the gateway does: the only
	// transport a resolver in any language speaks.
	Exec Transport = "exec"
	// Plugin keeps the target running and calls it over go-plugin, through
	// sdk/plugin.Runner: one process per provider configuration. Only a
	// build with the execref_plugin tag serves it.
	Plugin Transport = "plugin"
	// Agent starts the target's agent (BIN ARGS --verbose agent --socket
	// S, with the exec side's environment) and runs every batch as exec
	// with --agent S added, so the exec side forwards it; a batch the
	// exec side resolved cold fails the case.
	Agent Transport = "agent"
)

// Transports lists every transport, in the order the suite runs them.
var Transports = []Transport{Exec, Plugin, Agent}

// ErrTransport marks a transport that cannot be used: an unknown name,
// plugin or agent for a target not built with the execref SDK, or plugin
// for one built without the execref_plugin tag. Errors that wrap it are
// *TransportError.
var ErrTransport = errors.New("transport not available")

// TransportError says why a transport cannot be used.
type TransportError struct {
	Transport Transport
	Reason    string
}

func (e *TransportError) Error() string { return string(e.Transport) + ": " + e.Reason }
func (e *TransportError) Unwrap() error { return ErrTransport }

// ParseTransports reads a comma-separated list such as "exec,plugin,agent".
func ParseTransports(list string) ([]Transport, error) {
	var out []Transport
	for _, name := range strings.Split(list, ",") {
		t := Transport(strings.TrimSpace(name))
		switch {
		case !slices.Contains(Transports, t):
			return nil, &TransportError{t, "unknown transport (known: exec, plugin, agent)"}
		case slices.Contains(out, t):
			return nil, &TransportError{t, "given twice"}
		}
		out = append(out, t)
	}
	return out, nil
}

// speaks tells whether the target at command can be run over t, and why
// not. Only exec is a protocol every resolver speaks; go-plugin and the
// agent are the SDK's, so a binary built without it would take
// "agent" or go-plugin's handshake for something else; and go-plugin is
// served only by builds with the execref_plugin tag, so that a default
// build is refused once here rather than failing every case. The check
// reads the build information Go embeds and never runs the binary.
func speaks(command string, t Transport) (bool, string) {
	if t == Exec {
		return true, ""
	}
	if _, ok := host.BuiltWithSDK(command); !ok {
		return false, fmt.Sprintf("%s is not a Go program built on the execref SDK (%s), which %s needs; a resolver in any language is tested over exec",
			command, sdkModule, t)
	}
	if t == Plugin {
		if err := plugin.CheckBuild(command); err != nil {
			return false, err.Error() + "; test it over exec and agent, and a build with the tag over plugin"
		}
	}
	return true, ""
}

// sdkModule is what host.BuiltWithSDK looks for.
const sdkModule = "github.com/execref/execref/sdk"

// TransportsFor returns the transports that apply to the target at
// command (exec; agent when it is built on the SDK; plugin when it is,
// with the execref_plugin tag), and for each one that does not, the
// reason.
func TransportsFor(command string) (apply []Transport, not map[Transport]string) {
	not = map[Transport]string{}
	for _, t := range Transports {
		if ok, why := speaks(command, t); ok {
			apply = append(apply, t)
		} else {
			not[t] = why
		}
	}
	return apply, not
}
