package protocol

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// schemaObject is the part of a JSON Schema object definition the Go types
// must agree with.
type schemaObject struct {
	Type       string                     `json:"type"`
	Required   []string                   `json:"required"`
	Properties map[string]json.RawMessage `json:"properties"`
	Defs       map[string]json.RawMessage `json:"$defs"`
}

func loadSchema(t *testing.T, name string) schemaObject {
	t.Helper()
	data, err := Schemas.ReadFile("schema/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var s schemaObject
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

// jsonType maps a Go field type to the JSON Schema type it encodes as.
func jsonType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int:
		return "integer"
	case reflect.String:
		return "string"
	case reflect.Slice:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	}
	return "unknown " + t.Kind().String()
}

// agree checks that a struct's JSON fields are exactly the schema's
// properties, with the same types, and that exactly the fields without
// omitempty are required.
func agree(t *testing.T, what string, typ reflect.Type, s schemaObject) {
	t.Helper()
	var names, required []string
	for i := range typ.NumField() {
		f := typ.Field(i)
		tag := strings.Split(f.Tag.Get("json"), ",")
		names = append(names, tag[0])
		if !slices.Contains(tag[1:], "omitempty") {
			required = append(required, tag[0])
		}
		raw, ok := s.Properties[tag[0]]
		if !ok {
			t.Errorf("%s: Go field %s (%q) is not in the schema", what, f.Name, tag[0])
			continue
		}
		var prop struct{ Type string }
		_ = json.Unmarshal(raw, &prop)
		if prop.Type == "" && strings.Contains(string(raw), `"$ref"`) {
			prop.Type = "object"
		}
		if want := jsonType(f.Type); prop.Type != want {
			t.Errorf("%s.%s: schema type %q, Go encodes %q", what, tag[0], prop.Type, want)
		}
	}
	for p := range s.Properties {
		if !slices.Contains(names, p) {
			t.Errorf("%s: schema property %q has no Go field", what, p)
		}
	}
	slices.Sort(required)
	got := slices.Sorted(slices.Values(s.Required))
	if !slices.Equal(got, required) {
		t.Errorf("%s: schema requires %q, Go types require %q", what, got, required)
	}
}

func TestSchemasAgreeWithTypes(t *testing.T) {
	agree(t, "Request", reflect.TypeFor[Request](), loadSchema(t, "request.schema.json"))
	resp := loadSchema(t, "response.schema.json")
	agree(t, "Response", reflect.TypeFor[Response](), resp)
	var errDef schemaObject
	if err := json.Unmarshal(resp.Defs["error"], &errDef); err != nil {
		t.Fatal(err)
	}
	agree(t, "Error", reflect.TypeFor[Error](), errDef)

	var codeDef struct{ Examples []Code }
	var props map[string]json.RawMessage
	_ = json.Unmarshal(resp.Defs["error"], &struct {
		Properties *map[string]json.RawMessage `json:"properties"`
	}{&props})
	if err := json.Unmarshal(props["code"], &codeDef); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(codeDef.Examples, Codes) {
		t.Errorf("schema lists codes %q, package defines %q", codeDef.Examples, Codes)
	}
}

// The grammar in the request schema is the grammar the validator enforces.
func TestSchemaProviderPattern(t *testing.T) {
	var p struct {
		Pattern string `json:"pattern"`
	}
	if err := json.Unmarshal(loadSchema(t, "request.schema.json").Properties["provider"], &p); err != nil {
		t.Fatal(err)
	}
	if p.Pattern != providerPattern {
		t.Fatalf("schema pattern %q, validator %q", p.Pattern, providerPattern)
	}
}
