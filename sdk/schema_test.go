package sdk_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
)

func compileSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	data, err := fs.ReadFile(protocol.Schemas, "schema/"+name)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(name, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validate(s *jsonschema.Schema, data string) error {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(data))
	if err != nil {
		return err
	}
	return s.Validate(doc)
}

// Requests the decoder accepts are exactly those the schema accepts, but
// for what a schema cannot say (size, trailing data).
func TestRequestSchemaAgreesWithDecoder(t *testing.T) {
	s := compileSchema(t, "request.schema.json")
	for _, in := range []string{
		`{"protocolVersion":1,"provider":"vault","ids":["a","b c"]}`,
		`{"protocolVersion":1,"provider":"v","ids":[],"extra":{}}`,
		`{"provider":"v","ids":[]}`, `{"protocolVersion":2,"provider":"v","ids":[]}`,
		`{"protocolVersion":"1","provider":"v","ids":[]}`, `{"protocolVersion":1.5,"provider":"v","ids":[]}`,
		`{"protocolVersion":1,"provider":"Bad","ids":[]}`, `{"protocolVersion":1,"provider":"v"}`,
		`{"protocolVersion":1,"provider":"v","ids":null}`, `{"protocolVersion":1,"provider":"v","ids":[1]}`,
		`{"protocolVersion":1,"provider":null,"ids":[]}`, `[]`, `null`, `"x"`,
	} {
		_, decErr := protocol.ParseRequest([]byte(in))
		schemaErr := validate(s, in)
		if (decErr == nil) != (schemaErr == nil) {
			t.Errorf("%s: decoder says %v, schema says %v", in, decErr, schemaErr)
		}
	}
}

// Every response the SDK writes validates against the response schema.
func TestResponsesMatchSchema(t *testing.T) {
	s := compileSchema(t, "response.schema.json")
	be := backend(func(ctx context.Context, b *sdk.Batch) error {
		for i, id := range b.IDs {
			switch i % 4 {
			case 0:
				b.Set(id, "value-"+id)
			case 1:
				b.Fail(id, fmt.Errorf("%w: no %s", protocol.NotFound, id))
			case 2:
				b.Set(id, "") // INVALID_VALUE
			}
		}
		return nil
	})
	for _, ids := range [][]string{nil, {"a"}, {"a", "b", "c", "d", "bad id", "a"}} {
		var out, errOut bytes.Buffer
		in := protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: "p", IDs: ids})
		if st := sdk.Serve(sdk.Program{Name: "p", Backend: be}, nil, bytes.NewReader(in), &out, &errOut); st != sdk.ExitOK {
			t.Fatalf("status %d: %s", st, errOut.String())
		}
		if err := validate(s, out.String()); err != nil {
			t.Errorf("%s: %v", out.String(), err)
		}
	}
	for _, bad := range []string{`{"protocolVersion":1}`, `{"protocolVersion":2,"values":{}}`,
		`{"protocolVersion":1,"values":{},"errors":{"a":{"message":"no code"}}}`, `{"protocolVersion":1,"values":[]}`} {
		if validate(s, bad) == nil {
			t.Errorf("schema accepts %s", bad)
		}
	}
}

type backend func(ctx context.Context, b *sdk.Batch) error

func (f backend) Resolve(ctx context.Context, b *sdk.Batch) error { return f(ctx, b) }
