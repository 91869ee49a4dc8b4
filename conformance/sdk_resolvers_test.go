package conformance_test

import (
	"encoding/json"
	"testing"

	"github.com/execref/execref/conformance"
	"github.com/execref/execref/sdk/host"
)

// The resolvers built on the SDK pass the suite too: the SDK's example and
// its fixture-driven reference, fed the reference fixture's values.

func TestSDKExampleIsConformant(t *testing.T) {
	f, _ := loadFixture(t, "reference.json")
	secrets, _ := json.Marshal(f.Values)
	target := install(t, build(t, "../sdk/examples/openclaw-jsonfile-resolver"), "openclaw-jsonfile-resolver",
		map[string][]byte{"secrets.json": secrets})
	f.Name = "jsonfile"
	f.Provider = host.Provider{Source: "exec", Command: target, Args: []string{"--file", "secrets.json"}}
	f.Ambiguous, f.Invalid, f.Slow = nil, nil, nil // concepts a flat JSON file does not have
	conformance.Run(t, "", f)
}

func TestSDKReferenceIsConformant(t *testing.T) {
	f, _ := loadFixture(t, "reference.json")
	data := map[string]any{"values": f.Values, "errors": map[string]string{}, "delays": map[string]string{}}
	for _, id := range f.Ambiguous {
		data["errors"].(map[string]string)[id] = "AMBIGUOUS_DUPLICATE_KEY"
	}
	for _, id := range f.Slow {
		data["delays"].(map[string]string)[id] = "30s"
	}
	fixture, _ := json.Marshal(data)
	target := install(t, build(t, "../sdk/testdata/reference"), "reference-resolver", map[string][]byte{"fixture.json": fixture})
	f.Name = "sdkref"
	f.Provider = host.Provider{Source: "exec", Command: target, Args: []string{"--timeout", "1s"}, TimeoutMs: 3000}
	f.Invalid = nil // it has no id syntax of its own
	conformance.Run(t, "", f)
}
