package protocol

import (
	"bytes"
	"encoding/json"
	"io"
)

// EncodeResponse writes resp as one line of JSON in a single Write, so a
// reader never sees half a response. Values and errors are emitted even when
// empty where the gateway requires them (values always).
func EncodeResponse(w io.Writer, resp Response) error {
	resp.ProtocolVersion = Version
	if resp.Values == nil {
		resp.Values = map[string]any{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Secrets often hold '<', '>' and '&'; escaping them is legal but makes
	// byte-level comparisons and human reading needlessly harder.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(resp); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
