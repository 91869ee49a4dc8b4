package host

import (
	"os"
	"sort"
)

// ChildEnv builds the resolver's whole environment, as the gateway does:
// nothing is inherited. The passEnv variables that are set in the
// gateway's environment are copied (set but empty counts as set), env's
// literal values override them, and OPENCLAW_CLI=1 is forced last. The
// result is sorted so that runs are reproducible. Every transport
// (exec here, go-plugin in package sdk/plugin) starts resolvers with it.
func ChildEnv(p Provider, lookup func(string) (string, bool)) []string {
	vars := map[string]string{}
	for _, name := range p.PassEnv {
		if v, ok := lookup(name); ok {
			vars[name] = v
		}
	}
	for k, v := range p.Env {
		vars[k] = v
	}
	vars["OPENCLAW_CLI"] = "1"

	env := make([]string, 0, len(vars))
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	sort.Strings(env)
	return env
}

// lookupEnv is the gateway's own environment: the Runner's, or the
// process's.
func (r *Runner) lookupEnv() func(string) (string, bool) {
	if r.LookupEnv != nil {
		return r.LookupEnv
	}
	return os.LookupEnv
}
