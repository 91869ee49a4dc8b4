// Command execref-bench-compare times our resolvers side by side with
// what a user would run instead, and writes the tables of
// docs/performance.md ("Side by side"). `make bench-compare` builds what
// it runs and calls it; see that section for what each figure means.
//
//	execref-bench-compare -bin DIR -tools DIR -node NODE -openclaw PREFIX
//	    [-ids 1,64,512] [-runs 10] [-max-time 30s] [-only vault,aws,…]
//	    [-docs docs/performance.md] [-json FILE]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "execref-bench-compare:", err)
		os.Exit(1)
	}
}
