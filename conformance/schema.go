package conformance

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/execref/execref/protocol"
)

// Schemas holds schema/fixture.schema.json, the JSON Schema of a fixture.
//
//go:embed schema/fixture.schema.json
var Schemas embed.FS

var (
	schemasOnce               sync.Once
	fixtureSchema, respSchema *jsonschema.Schema
	schemasErr                error
)

// schemas compiles the fixture schema and the protocol's response schema
// once.
func schemas() (fixture, response *jsonschema.Schema, err error) {
	schemasOnce.Do(func() {
		fixtureSchema, schemasErr = compile(Schemas, "schema/fixture.schema.json")
		if schemasErr == nil {
			respSchema, schemasErr = compile(protocol.Schemas, "schema/response.schema.json")
		}
	})
	return fixtureSchema, respSchema, schemasErr
}

func compile(fsys fs.FS, name string) (*jsonschema.Schema, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(name, doc); err != nil {
		return nil, err
	}
	return c.Compile(name)
}

// validate checks a JSON document against a schema.
func validate(s *jsonschema.Schema, data []byte) error {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	return s.Validate(doc)
}

// validateResponse checks a resolver's stdout against response.schema.json.
func validateResponse(stdout []byte) error {
	_, s, err := schemas()
	if err != nil {
		return err
	}
	if err := validate(s, stdout); err != nil {
		return fmt.Errorf("response does not match response.schema.json: %v", err)
	}
	return nil
}
