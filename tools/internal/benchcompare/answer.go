package benchcompare

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
)

// Request is what the gateway writes on a JSON resolver's stdin for ids:
// one line, no newline.
func Request(provider string, ids []string) []byte {
	return protocol.EncodeRequest(protocol.Request{
		ProtocolVersion: protocol.Version,
		Provider:        provider,
		IDs:             ids,
	})
}

// Response is the exact answer a correct resolver writes for want: one
// line of JSON and a newline, as the SDK encodes it. The floor program
// prints it.
func Response(want map[string]string) []byte {
	values := make(map[string]any, len(want))
	for id, v := range want {
		values[id] = v
	}
	var buf bytes.Buffer
	if err := protocol.EncodeResponse(&buf, protocol.Response{Values: values}); err != nil {
		// Strings only: encoding cannot fail.
		panic(err)
	}
	return buf.Bytes()
}

// wireResponse is a version 1 response, every member kept raw so that
// each can be checked for its JSON type.
type wireResponse struct {
	ProtocolVersion json.RawMessage            `json:"protocolVersion"`
	Values          map[string]json.RawMessage `json:"values"`
	Errors          map[string]json.RawMessage `json:"errors"`
}

// CheckValues checks a JSON resolver's whole stdout against want, more
// strictly than the gateway reads it: one JSON object and nothing after
// it, no member besides protocolVersion, values and errors,
// protocolVersion the number 1, values holding exactly the ids of want,
// each a string equal to the wanted one byte for byte, and no errors
// entry (an empty errors object, as the bundled Node resolvers send, is
// fine). Its errors name the ids and what is wrong, never a value.
func CheckValues(want map[string]string) func(stdout []byte) error {
	return func(stdout []byte) error {
		var resp wireResponse
		dec := json.NewDecoder(bytes.NewReader(stdout))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&resp); err != nil {
			return fmt.Errorf("stdout is not a response object: %s", jsonProblem(err))
		}
		if _, err := dec.Token(); err != io.EOF {
			return errors.New("stdout holds more than one JSON value")
		}
		if string(resp.ProtocolVersion) != "1" {
			return fmt.Errorf("protocolVersion is %s, want 1", describeRaw(resp.ProtocolVersion))
		}
		if len(resp.Errors) > 0 {
			return fmt.Errorf("errors for %s", describeErrors(resp.Errors))
		}
		if resp.Values == nil {
			return errors.New(`no "values" object`)
		}
		var problems []string
		if missing := absentFrom(want, resp.Values); len(missing) > 0 {
			problems = append(problems, "missing ids "+quoteList(missing))
		}
		if extra := absentFrom(resp.Values, want); len(extra) > 0 {
			problems = append(problems, "ids not asked for "+quoteList(extra))
		}
		for _, id := range sortedKeys(want) {
			raw, ok := resp.Values[id]
			if !ok {
				continue
			}
			var got string
			if err := json.Unmarshal(raw, &got); err != nil || string(raw) == "null" {
				problems = append(problems, fmt.Sprintf("id %q: value is %s, not a string", id, jsonKind(raw)))
				continue
			}
			if got != want[id] {
				problems = append(problems, fmt.Sprintf("id %q: wrong value (%d bytes, want %d)", id, len(got), len(want[id])))
			}
		}
		if len(problems) > 0 {
			return errors.New(strings.Join(problems, "; "))
		}
		return nil
	}
}

// rawID names the one value of a raw answer in host.ParseResponse.
const rawID = "value"

// CheckRaw checks the stdout of a jsonOnly: false provider asked for one
// id (the sops docs' recipe: sops -d --extract prints the bare value) as
// the gateway reads it: stdout that is not JSON, trimmed as JavaScript
// trims, or a JSON string, is the value; it must equal want exactly.
func CheckRaw(want string) func(stdout []byte) error {
	return func(stdout []byte) error {
		results, err := host.ParseResponse("bench", stdout, []string{rawID}, false)
		if err != nil {
			return fmt.Errorf("raw answer refused as the gateway would: %w", err)
		}
		r := results[rawID]
		if r.Err != nil {
			return fmt.Errorf("raw answer refused as the gateway would: %w", r.Err)
		}
		got, _ := r.Value.(string) // a non-string has r.Err set
		if got != want {
			return fmt.Errorf("raw answer: wrong value (%d bytes, want %d)", len(got), len(want))
		}
		return nil
	}
}

// jsonProblem is a decoding error without the text of stdout: Go's
// syntax and type errors name offsets and Go types, never the input,
// except an unknown field, whose name is not a value.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("invalid JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		// Value is "number 123" for a number: keep only the kind, the
		// number could be a secret printed bare.
		kind, _, _ := strings.Cut(typ.Value, " ")
		return fmt.Sprintf("%s where an object was expected%s", withArticle(kind), inField(typ.Field))
	case errors.Is(err, io.EOF):
		return "empty"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "truncated JSON"
	}
	// DisallowUnknownFields' error: json: unknown field "name". The name
	// is not shown: a broken resolver could have written a value there.
	if strings.HasPrefix(err.Error(), "json: unknown field ") {
		return "a member besides protocolVersion, values and errors"
	}
	return "undecodable"
}

// withArticle names a kind of JSON value of an UnmarshalTypeError.
func withArticle(kind string) string {
	switch kind {
	case "array", "object":
		return "an " + kind
	case "bool":
		return "a boolean"
	}
	return "a " + kind
}

// inField names the member a type error is about, if not the response.
func inField(field string) string {
	if field == "" {
		return ""
	}
	return fmt.Sprintf(" for %q", field)
}

// describeRaw shows a protocolVersion: a number is not a secret, anything
// else is shown by its kind.
func describeRaw(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "missing"
	}
	kind := jsonKind(raw)
	if kind != "a number" {
		return kind
	}
	return string(bytes.TrimSpace(raw))
}

// jsonKind names a JSON value's type without showing it.
func jsonKind(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return "missing"
	}
	switch t[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// describeErrors lists the ids of errors entries with their codes and
// messages (a resolver's messages never hold values).
func describeErrors(errs map[string]json.RawMessage) string {
	var parts []string
	for _, id := range sortedKeys(errs) {
		var e protocol.Error
		if json.Unmarshal(errs[id], &e) != nil {
			parts = append(parts, fmt.Sprintf("%q (an entry that is not an error object)", id))
			continue
		}
		msg := e.Message
		if len(msg) > 200 {
			msg = strings.ToValidUTF8(msg[:200], "") + "…"
		}
		parts = append(parts, fmt.Sprintf("%q (%s: %s)", id, string(e.Code), msg))
	}
	return strings.Join(parts, ", ")
}

// absentFrom is the keys of a that b lacks, sorted.
func absentFrom[A, B any](a map[string]A, b map[string]B) []string {
	var out []string
	for k := range a {
		if _, ok := b[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// quoteList quotes ids, at most ten of them, saying how many more.
func quoteList(ids []string) string {
	const shown = 10
	q := make([]string, 0, min(len(ids), shown))
	for _, id := range ids[:min(len(ids), shown)] {
		q = append(q, fmt.Sprintf("%q", id))
	}
	s := strings.Join(q, ", ")
	if len(ids) > shown {
		s += fmt.Sprintf(" and %d more", len(ids)-shown)
	}
	return s
}
