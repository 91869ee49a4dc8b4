package doctor

import (
	"slices"

	"github.com/execref/execref/sdk/host"
)

// lookupFunc reads the gateway's environment, the source of passEnv
// values.
type lookupFunc func(name string) (string, bool)

// sources tells where each variable of the gateway's environment comes
// from ("environment", a .env file's path, ...). It may be nil.
type sources map[string]string

// checkPassEnv reports each passEnv name: set in the gateway's
// environment (and from where), or not set, which the gateway does not
// report: it drops the name silently and the resolver runs without it.
func checkPassEnv(p host.Provider, lookup lookupFunc, from sources) []Finding {
	var out []Finding
	for _, name := range p.PassEnv {
		if _, overridden := p.Env[name]; overridden {
			out = append(out, Finding{Check: CheckPassEnv, Status: StatusOK,
				Detail: name + " is also set in env, whose value wins over the gateway's"})
			continue
		}
		if _, ok := lookup(name); ok {
			where := ""
			if s := from[name]; s != "" {
				where = " (from " + s + ")"
			}
			out = append(out, Finding{Check: CheckPassEnv, Status: StatusOK,
				Detail: name + " is set in the gateway's environment" + where})
			continue
		}
		out = append(out, Finding{Check: CheckPassEnv, Status: StatusWarn,
			Detail: name + " is not set in the gateway's environment: the gateway drops it without a word and the resolver runs without it",
			Fix: "set " + name + " where the gateway reads its environment: the service's environment, " +
				"~/.openclaw/.env, or .env in the gateway's working directory (a variable set only in your shell " +
				"does not reach a gateway started as a service)"})
	}
	return out
}

// checkEnvSecrets warns about literal env values that look like secrets:
// they sit in plain text in openclaw.json. Only the name, the length and
// the shape are told.
func checkEnvSecrets(p host.Provider) []Finding {
	names := make([]string, 0, len(p.Env))
	for k := range p.Env {
		names = append(names, k)
	}
	slices.Sort(names)
	var out []Finding
	for _, name := range names {
		why := host.SecretLike(name, p.Env[name])
		if why == "" {
			continue
		}
		out = append(out, Finding{Check: CheckEnvSecret, Status: StatusWarn,
			Detail: "env." + name + " looks like a secret (" + why + ") and sits in plain text in the config",
			Fix: "remove it from env and pass it with passEnv: [\"" + name + "\"] from the gateway's environment, " +
				"or let the resolver read it from a file only you can read (mode 0600)"})
	}
	return out
}

// noEnv is an empty environment.
func noEnv(string) (string, bool) { return "", false }
