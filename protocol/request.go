package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// MaxRequestBytes bounds a request a resolver will read. The gateway sends
// at most 512 ids in at most 256 KiB (resolution.maxBatchBytes), so 1 MiB
// leaves room for a host configured more generously while refusing a
// runaway producer long before it costs real memory.
const MaxRequestBytes = 1 << 20

// Errors a request can fail with; DecodeRequest wraps one of them.
var (
	ErrRequestTooLarge    = errors.New("request too large")
	ErrMalformedRequest   = errors.New("malformed request")
	ErrUnsupportedVersion = errors.New("unsupported protocolVersion")
)

// DecodeRequest reads one request of at most limit bytes (MaxRequestBytes
// when limit <= 0) and checks its shape: a single JSON object with
// protocolVersion 1, a valid provider alias, and ids as an array of strings.
// It reads at most limit+1 bytes, so an endless producer cannot stall it.
// Unknown fields are ignored so that a newer host can add optional fields
// without breaking version 1 resolvers. Ids are returned as sent: their
// validation is per id (see ValidateID) and never fails the whole request.
func DecodeRequest(r io.Reader, limit int64) (Request, error) {
	if limit <= 0 {
		limit = MaxRequestBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return Request{}, fmt.Errorf("%w: reading stdin: %v", ErrMalformedRequest, err)
	}
	if int64(len(data)) > limit {
		return Request{}, fmt.Errorf("%w: more than %d bytes", ErrRequestTooLarge, limit)
	}
	return ParseRequest(data)
}

// ParseRequest is DecodeRequest for bytes already in memory.
func ParseRequest(data []byte) (Request, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return Request{}, fmt.Errorf("%w: empty input, expected a JSON object", ErrMalformedRequest)
	}
	var fields map[string]json.RawMessage
	if err := decodeOne(data, &fields); err != nil {
		return Request{}, fmt.Errorf("%w: %v", ErrMalformedRequest, err)
	}
	if fields == nil {
		return Request{}, fmt.Errorf("%w: expected a JSON object, got null", ErrMalformedRequest)
	}
	var req Request
	if err := field(fields, "protocolVersion", "a number", &req.ProtocolVersion); err != nil {
		return Request{}, err
	}
	if req.ProtocolVersion != Version {
		return Request{}, fmt.Errorf("%w %d: this resolver speaks version %d", ErrUnsupportedVersion, req.ProtocolVersion, Version)
	}
	if err := field(fields, "provider", "a string", &req.Provider); err != nil {
		return Request{}, err
	}
	if err := ValidateProvider(req.Provider); err != nil {
		return Request{}, fmt.Errorf("%w: %w", ErrMalformedRequest, err)
	}
	if err := field(fields, "ids", "an array of strings", &req.IDs); err != nil {
		return Request{}, err
	}
	return req, nil
}

// field decodes one required member, with a message that names the member
// and the expected type rather than Go's types.
func field(fields map[string]json.RawMessage, name, want string, dst any) error {
	raw, ok := fields[name]
	if !ok {
		return fmt.Errorf("%w: missing %q", ErrMalformedRequest, name)
	}
	if bytes.Equal(raw, []byte("null")) {
		return fmt.Errorf("%w: %q must be %s, got null", ErrMalformedRequest, name, want)
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Errorf("%w: %q must be %s", ErrMalformedRequest, name, want)
	}
	return nil
}

// decodeOne decodes exactly one JSON value and refuses anything after it.
func decodeOne(data []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(dst); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// EncodeRequest renders a request exactly as the gateway sends it: one line,
// no trailing newline.
func EncodeRequest(req Request) []byte {
	if req.IDs == nil {
		req.IDs = []string{}
	}
	data, err := json.Marshal(req)
	if err != nil {
		// A Request holds only an int and strings; Marshal cannot fail.
		panic(err)
	}
	return data
}
