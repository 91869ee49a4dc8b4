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
	"github.com/execref/execref/sdk/plugin/handshake"
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
//
// When a go-plugin host started the process (its handshake cookie is in
// the environment, see package plugin/handshake) and no subcommand is
// given, Serve serves go-plugin instead, on the process's own stdout as
// go-plugin requires, until the host lets the process go. Only builds
// with the execref_plugin tag do: another build refuses at once, with one
// line on stderr and ExitConfig (docs/sdk.md, "go-plugin").
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
	if cmd == cmdServe && handshake.Started(os.LookupEnv) {
		return servePlugin(p, opts, stderr)
	}
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
	case cmdAgent:
		return runAgent(p, opts, stdout, stderr)
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
	var resp protocol.Response
	var fail *batchFailure
	if opts.agent != "" {
		resp, fail = resolveVia(ctx, opts.agent, p.Backend, req, opts, con)
	} else {
		resp, fail = runBatch(ctx, p.Backend, req, opts, opts.timeout, con)
	}
	if fail != nil {
		return fail.status
	}
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
