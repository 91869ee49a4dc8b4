package check

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/execref/execref/protocol"
)

// Status is a check's outcome.
type Status string

const (
	StatusOK   Status = "ok"   // verified
	StatusWarn Status = "warn" // works, but deserves attention; or could not be verified
	StatusFail Status = "fail" // the resolver cannot work until this is fixed
)

// CodeConfig is the code of a check failed by configuration: a variable
// not passed, a key file too open, a mount that does not exist. It is not
// a protocol code, since configuration never fails one id alone; it stands
// for exit status 78 as protocol codes stand for theirs.
const CodeConfig protocol.Code = "CONFIG"

// Result is one check as a resolver reports it.
type Result struct {
	// Name says what was checked: "address", "token", "file prod".
	Name   string `json:"name"`
	Status Status `json:"status"`
	// Detail is what was found, or for a failure what is wrong and what
	// to do. It never holds a secret.
	Detail string `json:"detail"`
	// Code classifies a failure: CodeConfig, or a protocol code such as
	// UNAUTHENTICATED or UNAVAILABLE. Empty unless Status is fail.
	Code protocol.Code `json:"code,omitempty"`
}

// Output is what `COMMAND [args...] check` writes on stdout: one JSON
// object on one line,
//
//	{"checks":[{"name":"token","status":"fail","detail":"…","code":"UNAUTHENTICATED"}],"ok":false}
//
// OK is true when no check failed; warnings are allowed.
type Output struct {
	Checks []Result `json:"checks"`
	OK     bool     `json:"ok"`
}

// Failures lists the failed checks, in order.
func (o Output) Failures() []Result {
	var out []Result
	for _, c := range o.Checks {
		if c.Status == StatusFail {
			out = append(out, c)
		}
	}
	return out
}

// Encode writes o as one line of JSON in a single Write.
func (o Output) Encode(w io.Writer) error {
	if o.Checks == nil {
		o.Checks = []Result{}
	}
	data, err := json.Marshal(o)
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// ErrMalformed marks a check answer that is not an Output.
var ErrMalformed = errors.New("malformed check output")

// Decode reads a check answer: exactly one JSON object with "checks" (an
// array) and "ok" (a boolean), every check named and with a known status,
// and "ok" true exactly when no check failed. Unknown members are
// ignored, so that a newer resolver can add some.
func Decode(data []byte) (Output, error) {
	var o struct {
		Checks *[]Result `json:"checks"`
		OK     *bool     `json:"ok"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&o); err != nil {
		return Output{}, fmt.Errorf("%w: not a JSON object: %v", ErrMalformed, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Output{}, fmt.Errorf("%w: more than one JSON value", ErrMalformed)
	}
	if o.Checks == nil || o.OK == nil {
		return Output{}, fmt.Errorf(`%w: want the members "checks" (an array) and "ok" (a boolean)`, ErrMalformed)
	}
	out := Output{Checks: *o.Checks, OK: *o.OK}
	for i, c := range out.Checks {
		switch {
		case strings.TrimSpace(c.Name) == "":
			return Output{}, fmt.Errorf("%w: check %d has no name", ErrMalformed, i)
		case c.Status != StatusOK && c.Status != StatusWarn && c.Status != StatusFail:
			return Output{}, fmt.Errorf("%w: check %q: status %q, want ok, warn or fail", ErrMalformed, c.Name, c.Status)
		}
	}
	if failed := len(out.Failures()) > 0; out.OK == failed {
		return Output{}, fmt.Errorf(`%w: "ok" is %v, yet %d checks failed`, ErrMalformed, out.OK, len(out.Failures()))
	}
	return out, nil
}

// String is the result on one line, for people: "ok    address: http://…",
// "FAIL  token: UNAUTHENTICATED: Vault refused the token".
func (c Result) String() string {
	label := map[Status]string{StatusOK: "ok  ", StatusWarn: "warn", StatusFail: "FAIL"}[c.Status]
	if label == "" {
		label = string(c.Status)
	}
	line := label + "  " + c.Name
	if c.Code != "" {
		line += ": " + string(c.Code)
	}
	if c.Detail != "" {
		line += ": " + c.Detail
	}
	return line
}

// Verdict sums the output up in one line: "all 5 checks passed (1
// warning)", "1 of 5 checks failed: token".
func (o Output) Verdict() string {
	warnings := 0
	for _, c := range o.Checks {
		if c.Status == StatusWarn {
			warnings++
		}
	}
	var w string
	switch warnings {
	case 0:
	case 1:
		w = " (1 warning)"
	default:
		w = fmt.Sprintf(" (%d warnings)", warnings)
	}
	failed := o.Failures()
	if len(failed) == 0 {
		if len(o.Checks) == 1 {
			return "the one check passed" + w
		}
		return fmt.Sprintf("all %d checks passed%s", len(o.Checks), w)
	}
	names := make([]string, len(failed))
	for i, c := range failed {
		names[i] = c.Name
	}
	return fmt.Sprintf("%d of %d checks failed%s: %s", len(failed), len(o.Checks), w, strings.Join(names, ", "))
}
