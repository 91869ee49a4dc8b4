package sdk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/check"
)

// Checker is implemented by a Backend that can check its configuration
// without fetching a value: `COMMAND [provider args...] check`, run with
// the provider's environment and working directory, as a doctor does.
//
// Check records each thing it verifies in r (see package check): key
// files readable and safe, the backend reachable, the credentials
// accepted. It must never fetch, print or record a value. b is an empty
// batch (no ids): use it as in Resolve, to mark credentials Sensitive
// before anything could print them, to log, and for ForEach. Flags are
// parsed before Check, as before Resolve.
//
// Return an error only when checking itself broke; it is reported as one
// more failed check. When ctx expires the SDK reports what was recorded,
// plus a failed "deadline" check, and exits.
type Checker interface {
	Check(ctx context.Context, b *Batch, r *check.Report) error
}

// runCheck answers the check command: it reads no stdin, writes one
// check.Output on stdout and a summary on stderr, and returns ExitOK when
// no check failed, else the exit status of the first failure.
func runCheck(p Program, o options, start time.Time, stdout io.Writer, con *console) int {
	ctx, cancel := context.WithDeadline(context.Background(), start.Add(o.timeout))
	defer cancel()
	b := newBatch(protocol.Request{}, o, con)
	r := &check.Report{}

	c, ok := p.Backend.(Checker)
	if !ok {
		r.Warn("self-check", "this resolver has no self-check")
	}
	var err error
	timedOut := false
	if ok {
		timedOut, err = runChecker(ctx, c, b, r)
	}
	entries := r.Close()
	if _, panicked := b.freeze(); panicked != nil {
		entries = append(entries, check.Entry{Name: "self-check", Status: check.StatusFail, Err: panicked})
	}
	switch {
	case timedOut:
		entries = append(entries, check.Entry{Name: "deadline", Status: check.StatusFail,
			Err: fmt.Errorf("%w: the checks did not finish within --timeout %s; the ones above are all that ran", protocol.Timeout, o.timeout)})
	case err != nil:
		entries = append(entries, check.Entry{Name: "self-check", Status: check.StatusFail, Err: err})
	case len(entries) == 0:
		entries = append(entries, check.Entry{Name: "self-check", Status: check.StatusWarn, Detail: "the resolver's check recorded nothing"})
	}

	out, status := checkOutput(entries, b)
	for _, res := range out.Checks {
		con.printf("%s", res)
	}
	con.printf("%s", out.Verdict())
	if err := out.Encode(stdout); err != nil {
		con.printf("writing the check report: %v", err)
		return ExitIO
	}
	return status
}

// runChecker runs the check until it returns or the deadline passes,
// whichever comes first, and reports whether the deadline cut it short.
func runChecker(ctx context.Context, c Checker, b *Batch, r *check.Report) (timedOut bool, err error) {
	done := make(chan error, 1)
	go func() {
		var err error
		defer func() { done <- err }()
		defer b.recoverPanic()
		err = c.Check(ctx, b, r)
	}()
	select {
	case err := <-done:
		if ctx.Err() != nil && errors.Is(err, context.DeadlineExceeded) {
			return true, nil
		}
		return false, err
	case <-ctx.Done():
		return true, nil
	}
}

// checkOutput classifies and redacts what was recorded. The exit status is
// the first failure's: checks are recorded in the order they depend on
// each other, so it is the one to fix first.
func checkOutput(entries []check.Entry, b *Batch) (check.Output, int) {
	out := check.Output{Checks: make([]check.Result, 0, len(entries)), OK: true}
	status := ExitOK
	for _, e := range entries {
		res := check.Result{Name: b.red.String(e.Name), Status: e.Status, Detail: b.red.String(e.Detail)}
		if e.Status == check.StatusFail {
			res.Code, res.Detail = checkCode(e.Err), b.red.String(checkDetail(e.Err))
			if out.OK {
				status = exitStatus(e.Err)
			}
			out.OK = false
		}
		out.Checks = append(out.Checks, res)
	}
	return out, status
}

// checkCode is the code a failed check shows, matching its exit status.
func checkCode(err error) protocol.Code {
	switch exitStatus(err) {
	case ExitInternal:
		return protocol.Internal
	case ExitConfig:
		return check.CodeConfig
	}
	return protocol.CodeOf(err)
}

// checkDetail is a failure's text without the phrase of its class in
// front, which the code already says.
func checkDetail(err error) string {
	if errors.Is(err, ErrConfig) {
		if rest, ok := strings.CutPrefix(err.Error(), ErrConfig.Error()+": "); ok {
			return rest
		}
	}
	return protocol.MessageOf(err)
}
