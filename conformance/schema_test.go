package conformance

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
)

// A schema's $id is a neutral URN: the repository is not published, so a
// URL would point at nothing.
func TestSchemaIDsAreURNs(t *testing.T) {
	for _, s := range []struct {
		fsys fs.FS
		name string
	}{{Schemas, "schema/fixture.schema.json"}, {protocol.Schemas, "schema/request.schema.json"}, {protocol.Schemas, "schema/response.schema.json"}} {
		data, err := fs.ReadFile(s.fsys, s.name)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			ID string `json:"$id"`
		}
		if err := json.Unmarshal(data, &doc); err != nil || !strings.HasPrefix(doc.ID, "urn:execref:") {
			t.Errorf("%s: $id %q, %v", s.name, doc.ID, err)
		}
		if strings.Contains(string(data), "https://github.com") {
			t.Errorf("%s names a repository URL", s.name)
		}
	}
}
