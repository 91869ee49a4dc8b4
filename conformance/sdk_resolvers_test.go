package conformance_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/execref/execref/conformance"
	"github.com/execref/execref/conformance/gateway"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// Every resolver of the repository runs under the suite and under the real
// gateway (TestGateway…, run by make e2e-openclaw) from one fixture. Here:
// the suite's own reference, and the SDK's example and reference resolvers
// fed the reference fixture's values.

func TestGatewayReference(t *testing.T) {
	target, f := reference(t)
	conformance.RunGateway(t, target, f)
}

// The gateway check can fail: through the real gateway, a mutant that
// mangles unicode and one that exits 1 on a missing id are caught.
func TestGatewayCatchesMutants(t *testing.T) {
	g := gateway.Require(t)
	for _, m := range []string{"mangle-unicode", "exit-on-missing"} {
		target, f := reference(t, "--mutate", m)
		problems, err := conformance.CheckGateway(context.Background(), g, target, f)
		if err != nil || len(problems) == 0 {
			t.Errorf("%s: %d problems, %v", m, len(problems), err)
		}
		for _, p := range problems {
			for _, v := range f.Values {
				if strings.Contains(p, v) {
					t.Errorf("%s: a problem shows a value", m)
				}
			}
		}
	}
}

// sdkExample installs the SDK's example resolver with the fixture's values.
func sdkExample(t *testing.T) *conformance.Fixture {
	f, _ := loadFixture(t, "reference.json")
	secrets, _ := json.Marshal(f.Values)
	target := sdktest.Install(t, sdktest.Cached(t, "../sdk/examples/openclaw-jsonfile-resolver"), map[string][]byte{"secrets.json": secrets})
	f.Name = "jsonfile"
	f.Provider = host.Provider{Source: "exec", Command: target, Args: []string{"--file", "secrets.json"}}
	f.Ambiguous, f.Invalid, f.Slow = nil, nil, nil // concepts a flat JSON file does not have
	return f
}

// sdkReference installs the SDK's fixture-driven reference resolver.
func sdkReference(t *testing.T) *conformance.Fixture {
	f, _ := loadFixture(t, "reference.json")
	errs, delays := map[string]string{}, map[string]string{}
	for _, id := range f.Ambiguous {
		errs[id] = "AMBIGUOUS_DUPLICATE_KEY"
	}
	for _, id := range f.Slow {
		delays[id] = "30s"
	}
	fixture, _ := json.Marshal(map[string]any{"values": f.Values, "errors": errs, "delays": delays})
	target := sdktest.Install(t, sdktest.Cached(t, "../sdk/testdata/reference"), map[string][]byte{"fixture.json": fixture})
	f.Name = "sdkref"
	f.Provider = host.Provider{Source: "exec", Command: target, Args: []string{"--timeout", "1s"}, TimeoutMs: 3000}
	f.Invalid = nil // it has no id syntax of its own
	return f
}

func TestSDKExampleIsConformant(t *testing.T)   { conformance.Run(t, "", sdkExample(t)) }
func TestSDKReferenceIsConformant(t *testing.T) { conformance.Run(t, "", sdkReference(t)) }
func TestGatewaySDKExample(t *testing.T)        { conformance.RunGateway(t, "", sdkExample(t)) }
func TestGatewaySDKReference(t *testing.T)      { conformance.RunGateway(t, "", sdkReference(t)) }
