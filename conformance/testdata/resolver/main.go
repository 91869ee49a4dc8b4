// Command resolver is the conformance suite's reference resolver: a correct
// exec SecretRef resolver written by hand, without the execref SDK. It uses
// only the protocol package (the wire contract) and the standard library,
// which shows that the suite judges any implementation, not just SDK ones.
//
// It answers from a conformance fixture (values, ambiguous, invalid and slow
// ids; anything else is NOT_FOUND). With --mutate NAME it injects exactly
// one flaw, so that the suite can be shown to catch it (see README.md and
// mutations.go).
//
//	resolver [--fixture fixture.json] [--timeout 4s] [--mutate NAME]
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/execref/execref/protocol"
)

// progName prefixes every line on stderr.
const progName = "reference-resolver"

// Exit statuses (BSD sysexits), as docs/protocol.md assigns them.
const (
	exitOK         = 0  // a response was written
	exitFailure    = 1  // whole-provider failure of no more precise class
	exitUsage      = 64 // bad flags
	exitBadRequest = 65 // the request on stdin is unusable
	exitIO         = 74 // stdout could not be written
	exitConfig     = 78 // the fixture (our configuration) is missing or invalid
)

type options struct {
	fixture string
	timeout time.Duration
	mutate  mutation
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run serves one request and returns the exit status. On any non-zero
// status stdout stays empty (unless a mutation says otherwise) and stderr
// gets one line.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fail := func(status int, format string, a ...any) int {
		line := strings.ReplaceAll(fmt.Sprintf(format, a...), "\n", " ")
		fmt.Fprintf(stderr, "%s: %s\n", progName, line)
		return status
	}

	opts, err := parseFlags(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return fail(exitUsage, "%v", err)
	}
	m := opts.mutate

	if _, ok := os.LookupEnv("HOME"); !ok && m == needsHome {
		return fail(exitConfig, "HOME is not set")
	}
	if m == slowStart {
		time.Sleep(slowStartDelay) // before our own clock starts, as a slow runtime would
	}
	deadline := time.Now().Add(opts.timeout)

	req, err := readRequest(stdin, deadline, m)
	if err != nil {
		if m == crashOnMalformed && !errors.Is(err, errStdinOpen) {
			panic(fmt.Errorf("decoding the request: %w", err))
		}
		return fail(exitBadRequest, "%v", err)
	}
	if m == pinnedProvider && req.Provider != "reference" {
		return fail(exitBadRequest, "this resolver serves the provider %q, not %q", "reference", req.Provider)
	}
	if id, dup := firstDuplicate(req.IDs); dup && m == rejectDuplicates {
		return fail(exitBadRequest, "duplicate id %q in the request", id)
	}
	if len(req.IDs) > 100 && m == smallBatch {
		return fail(exitBadRequest, "more than 100 ids")
	}
	if len(req.IDs) == 0 && m == failEmpty {
		return fail(exitBadRequest, "the request has no ids")
	}
	if m == hang {
		sleepForever()
	}

	fx, err := loadFixture(opts.fixture)
	if err != nil {
		return fail(exitConfig, "%v", err)
	}
	if m == stdoutLog {
		fmt.Fprintf(stdout, "resolving %d ids\n", len(req.IDs))
	}
	r := &resolver{fx: fx, deadline: deadline, timeout: opts.timeout, mut: m, stderr: stderr}
	if m == stateful {
		r.coldRun = coldCache()
	}
	resp := r.resolve(req.IDs)

	if m == bigOutput {
		writeFiller(stderr)
	}
	if err := writeResponse(stdout, resp, m); err != nil {
		return fail(exitIO, "writing the response: %v", err)
	}
	if m == exitOnMissing && hasCode(resp, protocol.NotFound) {
		return fail(exitFailure, "some ids were not found")
	}
	return exitOK
}

func parseFlags(args []string, stdout io.Writer) (options, error) {
	var o options
	var mut string
	fs := flag.NewFlagSet(progName, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported as one line by run
	fs.StringVar(&o.fixture, "fixture", "fixture.json", "conformance fixture `file`, relative to the working directory")
	fs.DurationVar(&o.timeout, "timeout", 4*time.Second, "own deadline for the whole run")
	fs.StringVar(&mut, "mutate", "", "inject one flaw (`name`); see README.md")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, "usage: %s [flags] < request\n", progName)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
		}
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.timeout <= 0 {
		return o, fmt.Errorf("--timeout must be positive, got %s", o.timeout)
	}
	o.mutate = mutation(mut)
	if !o.mutate.known() {
		return o, fmt.Errorf("unknown mutation %q (known: %s)", mut, strings.Join(mutationNames(), ", "))
	}
	return o, nil
}

// errStdinOpen: the host did not close stdin before our deadline.
var errStdinOpen = fmt.Errorf("%w: stdin was not closed before the deadline", protocol.ErrMalformedRequest)

// readRequest decodes one request (at most protocol.MaxRequestBytes) from
// stdin, giving up at the deadline. The reading goroutine is abandoned
// then; the process exits soon after.
func readRequest(stdin io.Reader, deadline time.Time, m mutation) (protocol.Request, error) {
	type decoded struct {
		req protocol.Request
		err error
	}
	ch := make(chan decoded, 1)
	go func() {
		req, err := decodeRequest(stdin, m)
		ch <- decoded{req, err}
	}()
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case d := <-ch:
		return d.req, d.err
	case <-t.C:
		return protocol.Request{}, errStdinOpen
	}
}

// decodeRequest is protocol.DecodeRequest, unless a mutation loosens it.
func decodeRequest(stdin io.Reader, m mutation) (protocol.Request, error) {
	switch m {
	case readAll:
		data, err := io.ReadAll(stdin)
		if err != nil {
			return protocol.Request{}, err
		}
		return protocol.ParseRequest(data)
	case anyVersion:
		data, err := io.ReadAll(io.LimitReader(stdin, protocol.MaxRequestBytes))
		if err != nil {
			return protocol.Request{}, err
		}
		req, err := protocol.ParseRequest(data)
		if errors.Is(err, protocol.ErrUnsupportedVersion) {
			err = json.Unmarshal(data, &req)
		}
		return req, err
	}
	return protocol.DecodeRequest(stdin, protocol.MaxRequestBytes)
}

// writeResponse writes exactly one JSON object (one line) on stdout.
func writeResponse(w io.Writer, resp protocol.Response, m mutation) error {
	if done, err := writeQuirky(w, resp, m); done {
		return err
	}
	switch m {
	case wrongVersion:
		return encodeLoose(w, protocol.Version+1, resp.Values, looseErrors(resp.Errors, false))
	case schemaViolation:
		return encodeLoose(w, protocol.Version, resp.Values, looseErrors(resp.Errors, true))
	}
	return protocol.EncodeResponse(w, resp)
}

func firstDuplicate(ids []string) (string, bool) {
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			return id, true
		}
		seen[id] = true
	}
	return "", false
}

func hasCode(resp protocol.Response, c protocol.Code) bool {
	for _, e := range resp.Errors {
		if e.Code == c {
			return true
		}
	}
	return false
}
