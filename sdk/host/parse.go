package host

import (
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/execref/execref/protocol"
)

// Result is one id's outcome. Err is nil when Value is usable as a
// string credential. Value is kept when Err is ErrNotString or
// ErrRedactedValue, for callers that accept other JSON values.
type Result struct {
	Value any
	Err   error
}

// ParseResponse reads a resolver's stdout as the gateway does, for the
// given ids (trimmed and de-duplicated, as sent). A provider-level failure
// is returned as a *ProviderError and no results; otherwise every id has a
// Result.
//
// With jsonOnly false and exactly one id, stdout that is not JSON is the
// value itself (trimmed), and a JSON string is the value; anything else
// must be a full response.
func ParseResponse(name string, stdout []byte, ids []string, jsonOnly bool) (map[string]Result, error) {
	fail := func(err error) (map[string]Result, error) {
		return nil, &ProviderError{Provider: name, Err: err}
	}
	// Node decodes stdout as UTF-8, replacing what is not.
	text := protocol.TrimSpace(strings.ToValidUTF8(string(stdout), "\uFFFD"))
	if text == "" {
		return fail(ErrEmptyStdout)
	}
	single := !jsonOnly && len(ids) == 1

	parsed, err := parseJSON(text)
	if err != nil {
		if single {
			return map[string]Result{ids[0]: checkValue(name, ids[0], text)}, nil
		}
		return fail(ErrInvalidJSON)
	}
	obj, ok := parsed.(map[string]any)
	if !ok {
		if s, isString := parsed.(string); isString && single {
			return map[string]Result{ids[0]: checkValue(name, ids[0], s)}, nil
		}
		return fail(ErrNotObject)
	}
	if v, ok := obj["protocolVersion"].(float64); !ok || v != 1 {
		return fail(ErrProtocolVersion)
	}
	values, ok := obj["values"].(map[string]any)
	if !ok {
		return fail(ErrMissingValues)
	}
	errs, _ := obj["errors"].(map[string]any) // used only when an object

	out := make(map[string]Result, len(ids))
	for _, id := range ids {
		out[id] = idResult(name, id, values, errs)
	}
	return out, nil
}

// idResult: an errors entry wins over a value; an id in neither is
// missing.
func idResult(name, id string, values, errs map[string]any) Result {
	if entry, failed := errs[id]; failed {
		return Result{Err: resolverError(entry)}
	}
	v, ok := values[id]
	if !ok {
		return Result{Err: &ProviderError{Provider: name, Err: ErrMissingID, ID: id}}
	}
	return checkValue(name, id, v)
}

// resolverError is the resolver's own report for an id. Any entry fails
// the id, even one that is not an object or has no code.
func resolverError(entry any) *protocol.Error {
	e := &protocol.Error{}
	if m, ok := entry.(map[string]any); ok {
		if code, ok := m["code"].(string); ok {
			e.Code = protocol.Code(code)
		}
		if msg, ok := m["message"].(string); ok {
			e.Message = msg
		}
	}
	return e
}

// checkValue applies the gateway's rules for a string credential: not the
// redaction placeholder, and a string with something besides whitespace.
func checkValue(name, id string, v any) Result {
	r := Result{Value: v}
	s, isString := v.(string)
	trimmed := protocol.TrimSpace(s)
	switch {
	case isString && protocol.IsRedactionPlaceholder(s):
		r.Err = &ProviderError{Provider: name, Err: ErrRedactedValue, ID: id}
	case !isString || trimmed == "":
		r.Err = &ProviderError{Provider: name, Err: ErrNotString, ID: id}
	}
	return r
}

// parseJSON is JSON.parse: exactly one value, numbers as float64.
// Numbers are decoded by hand so that one beyond float64's range is
// Infinity, as in JavaScript, rather than an error.
func parseJSON(text string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the JSON value")
	}
	return jsNumbers(v), nil
}

// jsNumbers replaces every json.Number in v with its float64 value.
func jsNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		// The decoder checked the syntax, so the only error left is
		// ErrRange, and f is then ±Inf (or 0 on underflow) as in
		// JavaScript.
		f, _ := strconv.ParseFloat(string(x), 64)
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = jsNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = jsNumbers(e)
		}
	}
	return v
}
