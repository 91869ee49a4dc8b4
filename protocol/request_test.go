package protocol

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeRequest(t *testing.T) {
	req, err := DecodeRequest(strings.NewReader(`{"protocolVersion":1,"provider":"vault","ids":["a","b"],"future":true}`), 0)
	if err != nil {
		t.Fatal(err)
	}
	want := Request{ProtocolVersion: 1, Provider: "vault", IDs: []string{"a", "b"}}
	if !reflect.DeepEqual(req, want) {
		t.Fatalf("got %+v, want %+v", req, want)
	}
	req, err = DecodeRequest(strings.NewReader(`{"protocolVersion":1,"provider":"v","ids":[]}`+"\n"), 0)
	if err != nil || req.IDs == nil || len(req.IDs) != 0 {
		t.Fatalf("empty ids: got %+v, %v", req, err)
	}
}

func TestDecodeRequestRejects(t *testing.T) {
	cases := []struct {
		in      string
		want    error
		message string
	}{
		{``, ErrMalformedRequest, "empty input"},
		{"  \n", ErrMalformedRequest, "empty input"},
		{`{`, ErrMalformedRequest, "unexpected EOF"},
		{`not json`, ErrMalformedRequest, "invalid character"},
		{`null`, ErrMalformedRequest, "got null"},
		{`[]`, ErrMalformedRequest, "cannot unmarshal array"},
		{`{"provider":"v","ids":[]}`, ErrMalformedRequest, `missing "protocolVersion"`},
		{`{"protocolVersion":2,"provider":"v","ids":[]}`, ErrUnsupportedVersion, "unsupported protocolVersion 2"},
		{`{"protocolVersion":0,"provider":"v","ids":[]}`, ErrUnsupportedVersion, "protocolVersion 0"},
		{`{"protocolVersion":"1","provider":"v","ids":[]}`, ErrMalformedRequest, `"protocolVersion" must be a number`},
		{`{"protocolVersion":1.5,"provider":"v","ids":[]}`, ErrMalformedRequest, `"protocolVersion" must be a number`},
		{`{"protocolVersion":null,"provider":"v","ids":[]}`, ErrMalformedRequest, `got null`},
		{`{"protocolVersion":1,"ids":[]}`, ErrMalformedRequest, `missing "provider"`},
		{`{"protocolVersion":1,"provider":7,"ids":[]}`, ErrMalformedRequest, `"provider" must be a string`},
		{`{"protocolVersion":1,"provider":"Bad Name","ids":[]}`, ErrInvalidProvider, `invalid provider alias`},
		{`{"protocolVersion":1,"provider":"v"}`, ErrMalformedRequest, `missing "ids"`},
		{`{"protocolVersion":1,"provider":"v","ids":null}`, ErrMalformedRequest, `"ids" must be an array of strings, got null`},
		{`{"protocolVersion":1,"provider":"v","ids":"a"}`, ErrMalformedRequest, `"ids" must be an array of strings`},
		{`{"protocolVersion":1,"provider":"v","ids":["a",1]}`, ErrMalformedRequest, `"ids" must be an array of strings`},
		{`{"protocolVersion":1,"provider":"v","ids":[]} {}`, ErrMalformedRequest, "unexpected data after"},
		{`{"protocolVersion":1,"provider":"v","ids":[]}x`, ErrMalformedRequest, "unexpected data after"},
	}
	for _, c := range cases {
		_, err := DecodeRequest(strings.NewReader(c.in), 0)
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.message) {
			t.Errorf("DecodeRequest(%q) = %v, want %v containing %q", c.in, err, c.want, c.message)
		}
	}
}

// endless never ends; DecodeRequest must stop reading it at the limit.
type endless struct{ read int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	e.read += int64(len(p))
	return len(p), nil
}

func TestDecodeRequestBounded(t *testing.T) {
	src := &endless{}
	_, err := DecodeRequest(src, 4096)
	if !errors.Is(err, ErrRequestTooLarge) {
		t.Fatalf("got %v, want ErrRequestTooLarge", err)
	}
	if src.read > 4096+64*1024 {
		t.Fatalf("read %d bytes of an endless stream with a 4096-byte limit", src.read)
	}
	// The default limit admits the largest batch the gateway can send.
	ids := make([]string, 512)
	for i := range ids {
		ids[i] = strings.Repeat("x", 255) + string(rune('a'+i%26))
	}
	big := EncodeRequest(Request{ProtocolVersion: 1, Provider: "p", IDs: ids})
	if _, err := DecodeRequest(bytes.NewReader(big), 0); err != nil {
		t.Fatalf("largest gateway batch (%d bytes) refused: %v", len(big), err)
	}
	var failing io.Reader = iotestErr{}
	if _, err := DecodeRequest(failing, 0); !errors.Is(err, ErrMalformedRequest) {
		t.Fatalf("read error: got %v", err)
	}
}

type iotestErr struct{}

func (iotestErr) Read([]byte) (int, error) { return 0, errors.New("boom") }

func TestEncodeRequestMatchesGateway(t *testing.T) {
	got := string(EncodeRequest(Request{ProtocolVersion: 1, Provider: "vault", IDs: []string{"a", "b"}}))
	want := `{"protocolVersion":1,"provider":"vault","ids":["a","b"]}`
	if got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if got := string(EncodeRequest(Request{ProtocolVersion: 1, Provider: "v"})); !strings.HasSuffix(got, `"ids":[]}`) {
		t.Fatalf("nil ids encoded as %s", got)
	}
}

func TestEncodeResponse(t *testing.T) {
	var buf bytes.Buffer
	err := EncodeResponse(&buf, Response{
		Values: map[string]any{"a": "<tag> & \"q\"\n€"},
		Errors: map[string]Error{"b": {Code: NotFound, Message: "no such secret"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"protocolVersion":1,"values":{"a":"<tag> & \"q\"\n€"},"errors":{"b":{"code":"NOT_FOUND","message":"no such secret"}}}` + "\n"
	if buf.String() != want {
		t.Fatalf("got  %s\nwant %s", buf.String(), want)
	}
	buf.Reset()
	if err := EncodeResponse(&buf, Response{}); err != nil || buf.String() != `{"protocolVersion":1,"values":{}}`+"\n" {
		t.Fatalf("empty response: %q %v", buf.String(), err)
	}
}
