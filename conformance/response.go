package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
)

// response is a response read strictly: stricter than the gateway, which
// forgives a lot that another host may not.
type response struct {
	values map[string]any
	errors map[string]protocol.Error
	run    *host.Run
}

// parseStrict requires stdout to be exactly one JSON object (surrounding
// whitespace aside) with protocolVersion 1, a values object, an errors
// object whose entries carry a code, and every asked id in exactly one of
// the two, and no other id.
func parseStrict(stdout []byte, asked []string) (*response, error) {
	if len(bytes.TrimSpace(stdout)) == 0 {
		return nil, errors.New("stdout is empty")
	}
	var top map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(stdout))
	if err := dec.Decode(&top); err != nil || top == nil {
		return nil, fmt.Errorf("stdout is not a JSON object: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("stdout holds more than one JSON value (logs on stdout?)")
	}
	if v := string(top["protocolVersion"]); v != "1" {
		return nil, fmt.Errorf("protocolVersion is %q, want 1", v)
	}
	r := &response{errors: map[string]protocol.Error{}}
	if json.Unmarshal(top["values"], &r.values) != nil || r.values == nil {
		return nil, errors.New(`"values" is missing or not an object`)
	}
	var errs map[string]json.RawMessage
	if raw, ok := top["errors"]; ok && json.Unmarshal(raw, &errs) != nil {
		return nil, errors.New(`"errors" is not an object`)
	}
	for id, entry := range errs {
		var e protocol.Error
		if err := json.Unmarshal(entry, &e); err != nil || e.Code == "" {
			return nil, fmt.Errorf("errors[%q] is not an object with a code", id)
		}
		r.errors[id] = e
	}
	for id := range r.values {
		if !slices.Contains(asked, id) {
			return nil, fmt.Errorf("values answers %q, which was not asked", id)
		}
		if _, both := r.errors[id]; both {
			return nil, fmt.Errorf("%q is in both values and errors", id)
		}
	}
	for id := range r.errors {
		if !slices.Contains(asked, id) {
			return nil, fmt.Errorf("errors answers %q, which was not asked", id)
		}
	}
	for _, id := range asked {
		_, v := r.values[id]
		_, e := r.errors[id]
		if !v && !e {
			return nil, fmt.Errorf("%q is not answered (the gateway: response missing id)", id)
		}
	}
	return r, nil
}
