// Command openclaw-resolver-run resolves ids through an exec provider
// exactly as the OpenClaw gateway would: the same command-path policy,
// environment, working directory, limits and response parsing. Operators use
// it to check a provider block before putting it in openclaw.json; resolver
// authors use it to watch their binary under the gateway's conditions.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/execref/execref/sdk/host"
)

// Exit statuses.
const (
	exitOK       = 0  // every id resolved
	exitIDFailed = 1  // the provider ran, some ids failed
	exitProvider = 2  // the whole provider failed (policy, limits, exit status, bad output)
	exitUsage    = 64 // bad command line
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "openclaw-resolver-run: %v\n", err)
		return exitUsage
	}
	var r host.Runner
	results, err := r.Resolve(context.Background(), cfg.name, cfg.provider, cfg.ids)
	if err != nil {
		fmt.Fprintf(stderr, "openclaw-resolver-run: %v [%s]\n", err, host.UserCode(err))
		return exitProvider
	}
	if cfg.json {
		err = printJSON(stdout, cfg.ids, results, cfg.reveal)
	} else {
		err = printTable(stdout, cfg.ids, results, cfg.reveal)
	}
	if err != nil {
		fmt.Fprintf(stderr, "openclaw-resolver-run: %v\n", err)
		return exitProvider
	}
	for _, res := range results {
		if res.Err != nil {
			return exitIDFailed
		}
	}
	return exitOK
}
