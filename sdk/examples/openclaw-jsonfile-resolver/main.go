// Command openclaw-jsonfile-resolver answers ids from a JSON object of
// strings in a file: the whole of a resolver built on the execref SDK.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/policy"
)

type jsonFile struct{ path string }

func (j *jsonFile) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&j.path, "file", "secrets.json", "JSON `file` mapping ids to values, relative to the binary's directory")
}

func (j *jsonFile) Resolve(ctx context.Context, b *sdk.Batch) error {
	path, _ := filepath.Abs(j.path) // the gateway runs us in our own directory
	if err := policy.CheckSecretFile("--file", path, nil, false); err != nil {
		return fmt.Errorf("%w: %w", sdk.ErrConfig, err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%w: %w", sdk.ErrConfig, err)
	}
	b.Sensitive(string(data))
	var values map[string]string
	if json.Unmarshal(data, &values) != nil { // its error could quote the file
		return fmt.Errorf("%w: %s is not a JSON object of strings", sdk.ErrConfig, path)
	}
	for _, id := range b.IDs {
		if v, ok := values[id]; ok {
			b.Set(id, v)
		} else {
			b.Fail(id, fmt.Errorf("%w: no %q in %s", protocol.NotFound, id, path))
		}
	}
	return nil
}

func main() {
	sdk.Main(sdk.Program{
		Name:    "openclaw-jsonfile-resolver",
		Summary: "secrets from a JSON file (the execref SDK example)",
		Backend: &jsonFile{},
	})
}
