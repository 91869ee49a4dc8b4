package main

import (
	"fmt"
	"io"
	"os"

	"github.com/execref/execref/sdk/host"
)

// job is one resolution: a provider block, the ids to send it, and the
// gateway environment its passEnv is read from.
type job struct {
	name     string
	provider host.Provider
	ids      []string
	runner   host.Runner
	// where lists, per id, the places in openclaw.json that refer to it
	// (--config only).
	where map[string][]string

	reveal, json, verbose bool
}

// newJob builds the job from the command line, reading openclaw.json with
// --config. It tells on w where each passEnv variable comes from, or that
// it is not set: the gateway drops an unset one without a word.
func newJob(o options, w io.Writer) (*job, error) {
	j := &job{
		name: o.name, provider: o.provider, ids: o.ids,
		runner: host.Runner{LookupEnv: os.LookupEnv},
		reveal: o.reveal, json: o.json, verbose: o.verbose,
	}
	if o.config.set {
		return j, j.fromConfig(o, w)
	}
	for _, name := range j.provider.PassEnv {
		if _, ok := os.LookupEnv(name); !ok {
			fmt.Fprintf(w, "openclaw-resolver-run: passEnv %s is not set in this environment: the gateway would drop it silently, and the resolver runs without it\n", name)
		}
	}
	return j, nil
}
