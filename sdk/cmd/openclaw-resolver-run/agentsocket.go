package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/agent"
	"github.com/execref/execref/sdk/gatewayconfig"
	"github.com/execref/execref/sdk/host"
)

// configuredSocket is where the provider's resolver listens as an agent,
// and where its exec runs forward batches, as the SDK reads it: --agent in
// the args (up to a "--"), else EXECREF_AGENT in the environment the
// gateway gives it. "" when neither names one.
func configuredSocket(args, env []string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		name, value := flagName(a)
		if name != "agent" {
			continue
		}
		if !strings.Contains(a, "=") && i+1 < len(args) {
			value = args[i+1]
		}
		if value != "" {
			return value
		}
	}
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, sdk.EnvAgent+"="); ok && v != "" {
			return v
		}
	}
	return ""
}

// noSocketError: the provider block names no socket for its agent. The
// agent could listen at a default path, but the exec side would not look
// there: its environment holds only what the block gives it, so the block
// must say where the agent is.
type noSocketError struct {
	provider, file string
	hasEnv         bool
	// socket is the path proposed for the block, or "" when none could
	// be made up (a state directory could not be found).
	socket string
}

// newNoSocketError proposes a socket like the agent's default
// (agent.DefaultSocket: the user's runtime directory, else the OpenClaw
// state directory, as this process's environment finds them), with a name
// of its own for the provider: two providers running the same resolver
// with other flags need an agent each.
func newNoSocketError(provider, file string, p host.Provider, command string, env gatewayconfig.Env) *noSocketError {
	e := &noSocketError{provider: provider, file: file, hasEnv: p.Env != nil}
	if s, err := agent.DefaultSocket(filepath.Base(command)+"@"+provider, env); err == nil {
		e.socket = s
	}
	return e
}

func (e *noSocketError) Error() string {
	socket := e.socket
	if socket == "" {
		socket = "/ABSOLUTE/PATH/OF/THE/AGENT.sock"
	}
	q, _ := json.Marshal(socket)
	where, line := "secrets.providers."+e.provider, fmt.Sprintf(`"env": {%q: %s}`, sdk.EnvAgent, q)
	if e.hasEnv {
		where, line = where+".env", fmt.Sprintf(`%q: %s`, sdk.EnvAgent, q)
	}
	return fmt.Sprintf("provider %q names no socket for its agent, and the gateway runs its resolver with no other environment than the block gives, so the gateway's runs would not find the agent. Add to %s in %s:\n  %s\n(or add --agent PATH to its args), then start the agent again",
		e.provider, where, e.file, line)
}
