package main

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/execref/execref/protocol"
)

// writeQuirky writes resp as a mutation that shapes the output wants;
// ok is false when m does not.
func writeQuirky(w io.Writer, resp protocol.Response, m mutation) (ok bool, err error) {
	var buf bytes.Buffer
	switch m {
	case omitValues:
		if len(resp.Values) > 0 || len(resp.Errors) == 0 {
			return false, nil
		}
		// Like a resolver that adds "values" only once it has one.
		if err := encodeWithoutValues(&buf, resp.Errors); err != nil {
			return true, err
		}
	case bom:
		buf.WriteString("\uFEFF") // as PowerShell or Python's utf-8-sig write
		if err := protocol.EncodeResponse(&buf, resp); err != nil {
			return true, err
		}
	case version10:
		if err := protocol.EncodeResponse(&buf, resp); err != nil {
			return true, err
		}
		b := bytes.Replace(buf.Bytes(), []byte(`{"protocolVersion":1,`), []byte(`{"protocolVersion":1.0,`), 1)
		buf.Reset()
		buf.Write(b)
	default:
		return false, nil
	}
	_, err = w.Write(buf.Bytes())
	return true, err
}

// encodeWithoutValues writes {"protocolVersion":1,"errors":{...}}.
func encodeWithoutValues(w io.Writer, errs map[string]protocol.Error) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		ProtocolVersion int                       `json:"protocolVersion"`
		Errors          map[string]protocol.Error `json:"errors"`
	}{protocol.Version, errs})
}
