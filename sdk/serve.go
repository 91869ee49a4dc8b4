package sdk

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/redact"
)

// Main runs the program with the process's arguments and stdio and exits.
// A resolver's main function is a single call to it.
func Main(p Program) {
	os.Exit(Serve(p, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Serve is Main without the process: it runs one invocation and returns the
// exit status. In serve mode stdout receives exactly one JSON response or
// nothing at all; the check command (see Checker) writes one check.Output.
func Serve(p Program, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	start := time.Now()
	con := &console{name: p.Name, w: stderr, red: &redact.Redactor{}}
	opts, cmd, err := parseArgs(p, args)
	switch {
	case err != nil:
		con.printf("%v", err)
		con.flush()
		return ExitUsage
	case cmd == cmdVersion:
		printVersion(p, stdout)
		return ExitOK
	case cmd == cmdHelp:
		printHelp(p, stdout)
		return ExitOK
	}
	con.verbose = opts.verbose
	defer con.flush()
	switch cmd {
	case cmdCheck:
		return runCheck(p, opts, start, stdout, con)
	case cmdInstall:
		return runCommand(installCommand(p, opts.command), opts.args, stdout, con)
	case cmdDoc:
		return runCommand(docCommand(p, opts.command), opts.args, stdout, con)
	case cmdBackend:
		cmds, _ := commandsOf(p.Backend)
		return runCommand(cmds[opts.command], opts.args, stdout, con)
	}
	// The deadline covers reading stdin too: a host that never closes it
	// still gets a bounded run.
	ctx, cancel := context.WithDeadline(context.Background(), start.Add(opts.timeout))
	defer cancel()

	req, err := readRequest(ctx, stdin)
	if err != nil {
		con.printf("%v", err)
		return ExitBadRequest
	}
	b := newBatch(req, opts, con)
	con.debugf("request for provider %q: %d ids, %d valid", req.Provider, len(b.order), len(b.IDs))

	timedOut := false
	if len(b.IDs) > 0 {
		timedOut, err = resolve(ctx, p.Backend, b)
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
		return exitStatus(err)
	}
	resp := b.response(results, timedOut, opts.timeout.String())
	if err := protocol.EncodeResponse(stdout, resp); err != nil {
		con.printf("writing the response: %v", err)
		return ExitIO
	}
	con.debugf("answered %d values, errors %s, in %s", len(resp.Values), summarize(resp.Errors), time.Since(start).Round(time.Millisecond))
	return ExitOK
}

// readRequest reads and decodes stdin within the deadline.
func readRequest(ctx context.Context, stdin io.Reader) (protocol.Request, error) {
	type decoded struct {
		req protocol.Request
		err error
	}
	ch := make(chan decoded, 1)
	go func() {
		req, err := protocol.DecodeRequest(stdin, protocol.MaxRequestBytes)
		ch <- decoded{req, err}
	}()
	select {
	case d := <-ch:
		return d.req, d.err
	case <-ctx.Done():
		return protocol.Request{}, fmt.Errorf("%w: stdin was not closed before the deadline", protocol.ErrMalformedRequest)
	}
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

// summarize counts error codes for the verbose log line.
func summarize(errs map[string]protocol.Error) string {
	if len(errs) == 0 {
		return "none"
	}
	counts := map[protocol.Code]int{}
	for _, e := range errs {
		counts[e.Code]++
	}
	var parts []string
	for c, n := range counts {
		parts = append(parts, fmt.Sprintf("%s=%d", c, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}
