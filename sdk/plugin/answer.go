package plugin

import (
	"encoding/json"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/plugin/resolverpb"
)

// answer reads a call's response as the exec host reads stdout: a
// Failure is the exit status the exec resolver would have exited with;
// otherwise the response is rewritten as the exec protocol's JSON and
// read by host.ParseResponse, so that values, per-id errors and the
// gateway's checks on them are the exec host's by construction. Every
// value is added to the process's stderr redaction.
func answer(name string, resp *resolverpb.ResolveResponse, ids []string, lim host.Limits, sink *stderrSink) (map[string]host.Result, error) {
	if f := resp.GetFailure(); f != nil {
		return nil, &host.ProviderError{Provider: name, Err: host.ErrExit, ExitCode: int(f.GetExitStatus())}
	}
	type wireError struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	wire := struct {
		ProtocolVersion uint32                     `json:"protocolVersion"`
		Values          map[string]json.RawMessage `json:"values"`
		Errors          map[string]wireError       `json:"errors,omitempty"`
	}{ProtocolVersion: resp.GetProtocolVersion(), Values: map[string]json.RawMessage{}}
	for id, v := range resp.GetValues() {
		if !json.Valid(v) {
			return nil, &host.ProviderError{Provider: name, Err: host.ErrInvalidJSON}
		}
		wire.Values[id] = v
	}
	for id, e := range resp.GetErrors() {
		if wire.Errors == nil {
			wire.Errors = map[string]wireError{}
		}
		wire.Errors[id] = wireError{Code: e.GetCode(), Message: e.GetMessage()}
	}
	body, err := json.Marshal(wire)
	if err != nil {
		return nil, &host.ProviderError{Provider: name, Err: host.ErrInvalidJSON}
	}
	results, err := host.ParseResponse(name, body, ids, lim.JSONOnly)
	for _, r := range results {
		sink.redact(host.ValueSecrets(r.Value)...)
	}
	return results, err
}
