package conformance

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/execref/execref/protocol"
)

// response is a response read strictly: stricter than the gateway where a
// fault would trip another host, as lenient as the gateway where it
// accepts something on purpose (a byte order mark, protocolVersion 1.0).
// What only the gateway forgives becomes a warning.
type response struct {
	values   map[string]any
	errors   map[string]protocol.Error
	warnings []string

	// What the batch cost and left behind, over any transport.
	took time.Duration
	// output is what the host counted against maxOutputBytes (stdout and
	// stderr); -1 over go-plugin, whose runner holds the answer itself to
	// maxOutputBytes and would have failed the call.
	output int
	// stderr is the target's stderr for the batch: the run's, and over
	// the agent the agent's log lines too; over go-plugin what the runner
	// passes on.
	stderr []byte
}

// ErrResponse marks a response the suite refuses. Its text says what is
// wrong and, where it matters, what the gateway does about it.
var ErrResponse = errors.New("unacceptable response")

// responseError is one reason to refuse a response.
type responseError struct{ text string }

func (e *responseError) Error() string { return e.text }
func (e *responseError) Unwrap() error { return ErrResponse }

func refuse(format string, args ...any) error {
	return &responseError{fmt.Sprintf(format, args...)}
}

// The gateway's sentences for a response it cannot use, from
// parseExecValues in openclaw@2026.9.6; each fails the whole provider.
const (
	gwInvalidJSON     = `the gateway fails the whole provider ("returned invalid JSON.")`
	gwNotObject       = `the gateway fails the whole provider ("response must be an object.")`
	gwProtocolVersion = `the gateway fails the whole provider ("protocolVersion must be 1.")`
	gwMissingValues   = `the gateway fails the whole provider ("response missing \"values\".")`
)

// parseStrict reads stdout as the gateway does (trimmed as JavaScript
// trims, so a leading byte order mark goes; numbers compared by value, so
// protocolVersion 1.0 is 1) and then requires: exactly one JSON object, a
// values object, an errors object (if any) whose entries carry a code, and
// every asked id in exactly one of the two, and no other id.
func parseStrict(stdout []byte, asked []string) (*response, error) {
	r := &response{errors: map[string]protocol.Error{}}
	text := gatewayTrim(string(stdout), &r.warnings)
	if text == "" {
		return nil, refuse(`stdout is empty: the gateway fails the whole provider ("returned empty stdout.")`)
	}
	obj, err := decodeObject(text)
	if err != nil {
		return nil, err
	}
	if err := checkVersion(obj, &r.warnings); err != nil {
		return nil, err
	}
	if err := r.readValues(obj); err != nil {
		return nil, err
	}
	if err := r.readErrors(obj); err != nil {
		return nil, err
	}
	return r, r.checkIDs(asked)
}

// gatewayTrim trims stdout as the gateway does (String.prototype.trim,
// which also removes U+FEFF), and warns when that removed more than the
// ASCII whitespace every JSON parser skips.
func gatewayTrim(stdout string, warnings *[]string) string {
	text := protocol.TrimSpace(stdout)
	if text == "" {
		return ""
	}
	i := strings.Index(stdout, text)
	if cut := stdout[:i] + stdout[i+len(text):]; strings.Trim(cut, " \t\r\n") != "" {
		if strings.Contains(cut, "\uFEFF") {
			*warnings = append(*warnings, "stdout carries a UTF-8 byte order mark (U+FEFF): the gateway trims it away, "+
				"but a host that hands stdout to a JSON parser as it is fails on it; write UTF-8 without a BOM")
		} else {
			*warnings = append(*warnings, "stdout is wrapped in Unicode whitespace (such as U+00A0 or U+2028): the gateway trims it away, "+
				"but a JSON parser fails on it")
		}
	}
	return text
}

// decodeObject parses text as exactly one JSON object, numbers kept as
// written.
func decodeObject(text string) (map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var top any
	if err := dec.Decode(&top); err != nil {
		return nil, refuse("stdout is not JSON (%s): %s", syntaxText(err), gwInvalidJSON)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, refuse("stdout holds more than one JSON value (logs on stdout?): %s", gwInvalidJSON)
	}
	obj, ok := top.(map[string]any)
	if !ok {
		return nil, refuse("stdout is %s, not a JSON object: %s", jsonKind(top), gwNotObject)
	}
	return obj, nil
}

// syntaxText says where JSON went wrong, in JSON's terms.
func syntaxText(err error) string {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("%s, at byte %d", se.Error(), se.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "it ends in the middle of a value"
	}
	return err.Error()
}

// checkVersion applies the gateway's rule, protocolVersion === 1 after
// JSON.parse: any number equal to 1 passes, however it is written. A
// spelling other than 1 passes with a warning, since a host that decodes
// it into an integer type refuses 1.0.
func checkVersion(obj map[string]any, warnings *[]string) error {
	v, present := obj["protocolVersion"]
	n, isNumber := v.(json.Number)
	switch {
	case !present:
		return refuse("protocolVersion is missing, want 1: %s", gwProtocolVersion)
	case !isNumber:
		return refuse("protocolVersion is %s, want the number 1: %s", jsonKind(v), gwProtocolVersion)
	}
	if f, err := n.Float64(); err != nil || f != 1 {
		return refuse("protocolVersion is %s, want 1: %s", clip(string(n), 40), gwProtocolVersion)
	}
	if n != "1" {
		*warnings = append(*warnings, fmt.Sprintf("protocolVersion is written %s: the gateway reads it as 1, "+
			"but a host that decodes it into an integer may refuse it; write 1", clip(string(n), 40)))
	}
	return nil
}

func (r *response) readValues(obj map[string]any) error {
	v, present := obj["values"]
	values, ok := v.(map[string]any)
	switch {
	case !present:
		return refuse(`"values" is missing, even if every id failed it must be there ({} at least): %s`, gwMissingValues)
	case !ok:
		return refuse(`"values" is %s, not an object: %s`, jsonKind(v), gwMissingValues)
	}
	r.values = values
	return nil
}

// readErrors takes the errors object. A null one is taken as absent, as
// the gateway takes it, with a warning.
func (r *response) readErrors(obj map[string]any) error {
	v, present := obj["errors"]
	if !present {
		return nil
	}
	if v == nil {
		r.warnings = append(r.warnings, `"errors" is null: the gateway ignores it, but the protocol's schema wants an object; omit it or send {}`)
		return nil
	}
	errs, ok := v.(map[string]any)
	if !ok {
		return refuse(`"errors" is %s, not an object: the gateway ignores it, and reports every id missing from "values" as SECRET_REF_NOT_FOUND`, jsonKind(v))
	}
	for id, entry := range errs {
		e, problem := errorEntry(entry)
		if problem != "" {
			return refuse("errors[%s] %s", idText(id), problem)
		}
		r.errors[id] = e
	}
	return nil
}

// errorEntry reads {"code": "...", "message": "..."}, message optional,
// or says what is wrong with it and what the gateway makes of that.
func errorEntry(entry any) (protocol.Error, string) {
	m, ok := entry.(map[string]any)
	code, isString := m["code"].(string)
	if !ok || !isString || code == "" {
		return protocol.Error{}, `is not an object with a "code" string: the gateway fails that id as SECRET_REF_PROVIDER_ERROR and loses the code`
	}
	msg, isString := m["message"].(string)
	if _, present := m["message"]; present && !isString {
		return protocol.Error{}, `has a "message" that is not a string: the gateway never reads messages, but the protocol's schema wants a string`
	}
	return protocol.Error{Code: protocol.Code(code), Message: msg}, ""
}

// checkIDs requires every asked id to be answered once and no other.
func (r *response) checkIDs(asked []string) error {
	for id := range r.values {
		if !slices.Contains(asked, id) {
			return refuse(`"values" answers %s, which was not asked: the gateway ignores it, another host may not`, idText(id))
		}
		if _, both := r.errors[id]; both {
			return refuse(`%s is in both "values" and "errors": the gateway takes the error`, idText(id))
		}
	}
	for id := range r.errors {
		if !slices.Contains(asked, id) {
			return refuse(`"errors" answers %s, which was not asked: the gateway ignores it, another host may not`, idText(id))
		}
	}
	for _, id := range asked {
		_, v := r.values[id]
		_, e := r.errors[id]
		if !v && !e {
			return notAnswered(id)
		}
	}
	return nil
}

// notAnswered refuses a response that leaves an asked id out.
func notAnswered(id string) error {
	return refuse(`%s is not answered: the gateway reports it as SECRET_REF_NOT_FOUND ("response missing id"), `+
		`so a resolver bug reads as a missing secret`, idText(id))
}
