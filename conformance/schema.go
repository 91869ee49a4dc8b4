package conformance

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
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

// compile registers a schema under its own $id (a URN), not under a file
// name: a relative name would be resolved against the working directory,
// and every validation error would then name a path on this machine.
func compile(fsys fs.FS, name string) (*jsonschema.Schema, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	id, _ := doc.(map[string]any)["$id"].(string)
	if id == "" {
		return nil, fmt.Errorf("%s has no $id", name)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(id, doc); err != nil {
		return nil, err
	}
	return c.Compile(id)
}

// validate checks a JSON document against a schema. Its error lists each
// violation as "at /pointer: what", on one line.
func validate(s *jsonschema.Schema, data []byte) error {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	err = s.Validate(doc)
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	var leaves []string
	collectLeaves(ve.DetailedOutput(), &leaves)
	return errors.New(strings.Join(leaves, "; "))
}

// collectLeaves gathers the innermost errors of a validation tree: the
// outer ones only say "validation failed".
func collectLeaves(u *jsonschema.OutputUnit, out *[]string) {
	if len(u.Errors) == 0 && u.Error != nil {
		at := u.InstanceLocation
		if at == "" {
			at = "/"
		}
		*out = append(*out, fmt.Sprintf("at %s: %s", at, u.Error))
		return
	}
	for i := range u.Errors {
		collectLeaves(&u.Errors[i], out)
	}
}

// validateResponse checks a resolver's stdout, trimmed as the gateway
// trims it, against response.schema.json.
func validateResponse(stdout []byte) error {
	_, s, err := schemas()
	if err != nil {
		return err
	}
	if err := validate(s, []byte(protocol.TrimSpace(string(stdout)))); err != nil {
		return fmt.Errorf("the response does not match response.schema.json: %v", err)
	}
	return nil
}
