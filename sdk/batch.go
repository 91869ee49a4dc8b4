package sdk

import (
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/redact"
)

// Batch is one request's worth of work: the ids to resolve and where their
// answers go. Its methods are safe for concurrent use.
type Batch struct {
	// IDs are valid per the gateway's grammar, de-duplicated, in request
	// order.
	IDs []string
	// Provider is the alias the host resolves for (secrets.providers.NAME).
	Provider string
	// Concurrency is the --concurrency flag: how many backend calls may
	// run at once. ForEach honours it.
	Concurrency int

	order   []string         // every distinct id asked, valid or not
	invalid map[string]error // ids that failed the grammar; never sent to the backend

	mu      sync.Mutex
	results map[string]result
	frozen  bool
	panic   error // first panic recovered in a ForEach worker
	red     *redact.Redactor
	logf    func(format string, args ...any)
	warnf   func(format string, args ...any)
}

type result struct {
	answered bool
	value    string
	err      error
}

// Set records id's value. Setting an id twice keeps the last answer;
// answers for ids that were not asked, or after the deadline, are dropped.
func (b *Batch) Set(id, value string) {
	b.red.Add(value)
	b.put(id, result{answered: true, value: value})
}

// Fail records id's failure. The code comes from err (see protocol.CodeOf):
// wrap a protocol.Code, e.g. fmt.Errorf("%w: no field %q", protocol.NotFound, f).
// The message is err's text without the code's leading phrase
// (protocol.MessageOf: "no field …", not "not found: no field …"), redacted.
func (b *Batch) Fail(id string, err error) {
	if err == nil {
		err = protocol.Internal
	}
	b.put(id, result{answered: true, err: err})
}

// Sensitive marks strings that must never be printed although they are not
// values of the batch, e.g. a whole secret document of which one field was
// asked, or a token. Mark them before anything could print them.
func (b *Batch) Sensitive(s ...string) {
	b.red.Add(s...)
}

// Logf prints a diagnostic line on stderr when --verbose is set. The line is
// redacted like everything else the SDK prints.
func (b *Batch) Logf(format string, args ...any) { b.logf(format, args...) }

// Warnf prints a line on stderr whether or not --verbose is set, for what
// an operator must hear about (e.g. TLS verification turned off). It is
// redacted like everything else the SDK prints.
func (b *Batch) Warnf(format string, args ...any) { b.warnf("warning: "+format, args...) }

func (b *Batch) put(id string, r result) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.frozen {
		return
	}
	if _, asked := b.results[id]; asked {
		b.results[id] = r
	}
}

// freeze stops accepting answers and returns what was recorded, so that a
// backend still running after the deadline cannot change the response.
func (b *Batch) freeze() (map[string]result, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.frozen = true
	return b.results, b.panic
}

// response builds the wire response: every asked id gets a value or an
// error; ids without an answer get TIMEOUT when the deadline passed, else
// INTERNAL. Values the gateway would refuse become INVALID_VALUE here, in
// one place for every resolver.
func (b *Batch) response(results map[string]result, timedOut bool, timeout string) protocol.Response {
	resp := protocol.Response{Values: map[string]any{}, Errors: map[string]protocol.Error{}}
	for _, id := range b.order {
		r, valid := results[id]
		switch {
		case !valid:
			r.err = b.invalid[id]
		case !r.answered && timedOut:
			r.err = fmt.Errorf("%w: not resolved within %s", protocol.Timeout, timeout)
		case !r.answered:
			r.err = fmt.Errorf("%w: the backend returned no answer for this id", protocol.Internal)
		case r.err == nil:
			r.err = checkValue(r.value)
		}
		if r.err != nil {
			e := protocol.ErrorOf(r.err) // the code, and the message without it
			e.Message = b.red.String(e.Message)
			resp.Errors[id] = e
			continue
		}
		resp.Values[id] = r.value
	}
	return resp
}

// checkValue applies the gateway's rules for a usable secret string, so the
// user gets a precise per-id error instead of a later, vaguer one.
func checkValue(v string) error {
	switch {
	case protocol.TrimSpace(v) == "":
		return fmt.Errorf("%w: the value is empty", protocol.InvalidValue)
	case !utf8.ValidString(v):
		return fmt.Errorf("%w: the value is not valid UTF-8 text", protocol.InvalidValue)
	case protocol.IsRedactionPlaceholder(v):
		return fmt.Errorf("%w: the value is a redaction placeholder, which the gateway refuses", protocol.InvalidValue)
	}
	return nil
}
