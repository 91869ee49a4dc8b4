package sdk

import (
	"context"
	"strings"
	"time"

	"github.com/execref/execref/protocol"
)

// batchFailure is a whole-provider failure: the exit status an exec
// resolver exits with, and the error whose redacted text is its one line
// on stderr.
type batchFailure struct {
	status int
	err    error
}

// runBatch answers one request within ctx, the same way for every
// transport: exec (one batch per process), go-plugin and the agent (one
// per call in a long-lived process). It prints the failure's reason (and,
// with --verbose, a panic's stack) on con, so that exec's stderr is the
// same as it always was; timeout is the duration the TIMEOUT messages
// name.
func runBatch(ctx context.Context, be Backend, req protocol.Request, opts options, timeout time.Duration, con *console) (protocol.Response, *batchFailure) {
	b := newBatch(req, opts, con)
	con.debugf("request for provider %q: %d ids, %d valid", req.Provider, len(b.order), len(b.IDs))

	timedOut := false
	var err error
	if len(b.IDs) > 0 {
		timedOut, err = resolve(ctx, be, b)
	}
	results, panicked := b.freeze()
	if panicked != nil {
		err = panicked
	}
	if err != nil {
		con.printf("%v", err)
		if pe, ok := panicked.(*panicError); ok {
			for _, line := range strings.Split(string(pe.stack), "\n") {
				con.debugf("  %s", line)
			}
		}
		return protocol.Response{}, &batchFailure{status: exitStatus(err), err: err}
	}
	return b.response(results, timedOut, timeout.String()), nil
}

// resolve runs the backend until it returns or the deadline passes,
// whichever comes first. It reports whether the deadline cut it short.
func resolve(ctx context.Context, be Backend, b *Batch) (timedOut bool, err error) {
	done := make(chan error, 1)
	go func() {
		var err error
		defer func() { done <- err }()
		defer b.recoverPanic()
		err = be.Resolve(ctx, b)
	}()
	select {
	case err := <-done:
		return ctx.Err() != nil, err
	case <-ctx.Done():
		return true, nil
	}
}

func newBatch(req protocol.Request, o options, con *console) *Batch {
	b := &Batch{
		Provider:    req.Provider,
		Concurrency: o.concurrency,
		results:     map[string]result{},
		invalid:     map[string]error{},
		red:         con.red,
		logf:        con.debugf,
		warnf:       con.printf,
	}
	for _, id := range req.IDs {
		if _, dup := b.results[id]; dup {
			continue
		}
		if _, dup := b.invalid[id]; dup {
			continue
		}
		b.order = append(b.order, id)
		if err := protocol.ValidateID(id); err != nil {
			b.invalid[id] = err
			continue
		}
		b.results[id] = result{}
		b.IDs = append(b.IDs, id)
	}
	return b
}
