package agent

import (
	"fmt"
	"path/filepath"

	"github.com/execref/execref/sdk/gatewayconfig"
)

// DefaultSocket is the socket of program's agent when no path is given:
// $XDG_RUNTIME_DIR/execref/<program>.sock when XDG_RUNTIME_DIR is set
// (the runtime directory is the user's, private, and emptied at logout),
// else agent/<program>.sock in the OpenClaw state directory, found as the
// gateway finds it (OPENCLAW_STATE_DIR, else ~/.openclaw). env is usually
// os.LookupEnv; the agent and the exec side must see the same variables to
// agree on the default, which is why the exec side can be given the path.
func DefaultSocket(program string, env gatewayconfig.Env) (string, error) {
	name := program + ".sock"
	// The XDG spec says to ignore a relative XDG_RUNTIME_DIR.
	if run, ok := env("XDG_RUNTIME_DIR"); ok && filepath.IsAbs(run) {
		return filepath.Join(run, "execref", name), nil
	}
	state, err := gatewayconfig.StateDir(env)
	if err != nil {
		return "", fmt.Errorf("locating the OpenClaw state directory for the agent's socket: %w (pass --socket PATH)", err)
	}
	return filepath.Join(state, "agent", name), nil
}
