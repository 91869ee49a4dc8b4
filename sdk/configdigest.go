package sdk

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"runtime/debug"
	"slices"
	"strings"
)

// EnvAgent names the agent's socket for the exec side, as --agent does: a
// variable the provider's env (or passEnv) in openclaw.json can set.
const EnvAgent = "EXECREF_AGENT"

// agentFlag is --agent's name.
const agentFlag = "agent"

// notConfig are the shared flags that change how a batch is run, not what
// it is answered from; the agent and the exec side may differ in them.
var notConfig = []string{"timeout", "concurrency", "verbose", "version", agentFlag}

// notConfigEnv are the variables that say how the process was started,
// not what it resolves from: the gateway's marker and the agent's socket.
var notConfigEnv = []string{"OPENCLAW_CLI", EnvAgent}

// configDigest is what a batch is answered from: the program's build,
// every flag of the backend with its value (defaults included) and every
// variable of the environment, one line each, "program build HASH",
// "flag NAME HASH" or "env NAME HASH", sorted.
// The exec side sends it with a forwarded batch and the agent refuses a
// batch whose digest is not its own (naming the lines that differ, never
// a value), so a batch is never answered from another configuration. The
// whole environment counts, not a list of the variables a backend reads:
// the libraries under a backend (the AWS and Vault SDKs) read variables
// of their own, and HOME alone decides which files they read. An exec
// resolver's environment is only its provider's passEnv and env, so the
// agent is started with that same environment (openclaw-resolver-run
// agent PROVIDER does it). Values are hashed with the program's name and
// the line's name: the agent, which runs as the same user, compares them
// and never prints them. The build (modules, versions, VCS revision and
// build settings, as the binary records them) counts because an agent
// started before an upgrade still runs the old code: the upgraded exec
// side resolves cold until the agent is restarted.
func configDigest(program string, fs *flag.FlagSet, environ []string) string {
	var lines []string
	add := func(kind, name, value string) {
		h := sha256.Sum256([]byte(program + "\x00" + kind + "\x00" + name + "\x00" + value))
		lines = append(lines, kind+" "+name+" "+hex.EncodeToString(h[:]))
	}
	add("program", "build", buildDescription())
	fs.VisitAll(func(f *flag.Flag) {
		if !slices.Contains(notConfig, f.Name) {
			add("flag", "--"+f.Name, f.Value.String())
		}
	})
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if !slices.Contains(notConfigEnv, name) {
			add("env", name, value)
		}
	}
	slices.Sort(lines)
	return strings.Join(slices.Compact(lines), "\n")
}

// buildDescription is what the binary records of its build; empty when it
// records nothing (then agent and exec side agree on nothing but flags
// and environment).
func buildDescription() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		return bi.String()
	}
	return ""
}
