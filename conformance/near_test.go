package conformance_test

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"github.com/execref/execref/conformance"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// CORE-014 against the SDK's reference resolver over a store that holds
// plain.json's values, extra entries and per-id error codes: what a
// correct hierarchical store may answer, and what it may not.
func TestNearAnswers(t *testing.T) {
	for _, tc := range []struct {
		name        string
		store, errs map[string]string
		listed      map[string]string // more fixture values
		reason      string            // "" to pass
	}{
		{name: "folders may be INVALID_VALUE", errs: map[string]string{"openai": "INVALID_VALUE", "github": "INVALID_VALUE", "unicode": "INVALID_VALUE"}},
		{name: "other ids may not", errs: map[string]string{"openai/api-ke": "INVALID_VALUE"},
			reason: `"openai/api-ke": want error NOT_FOUND, got INVALID_VALUE`},
		{name: "a stricter syntax the fixture does not declare", errs: map[string]string{"api-key": "INVALID_ID"},
			reason: `"api-key": want error NOT_FOUND, got INVALID_ID; if the target's id syntax is stricter`},
		{name: "the store holds a made-up id", store: map[string]string{"openai/a": "unrelated-s3cr3t"},
			reason: `"openai/a": want error NOT_FOUND, got a value; if the store holds that id, list it in the fixture's "values"`},
		{name: "the fixture lists it", store: map[string]string{"openai/a": "unrelated-s3cr3t"}, listed: map[string]string{"openai/a": "unrelated-s3cr3t"}},
		{name: "a loose match", store: map[string]string{"github/toke": "ghp-plain-0a9b8c7d6e5f"},
			reason: `"github/toke", a prefix of "github/token", got its value`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, _ := loadFixture(t, "plain.json")
			store := maps.Clone(f.Values)
			maps.Copy(store, tc.store)
			maps.Copy(f.Values, tc.listed)
			fixture, _ := json.Marshal(map[string]any{"values": store, "errors": tc.errs})
			target := sdktest.Install(t, sdktest.Cached(t, "../sdk/testdata/reference"), map[string][]byte{"fixture.json": fixture})
			f.Provider = host.Provider{Source: "exec", Command: target}
			f.Ambiguous, f.Invalid = nil, nil // the SDK reference has neither
			res := suite(t, target, f, "^CORE-014$").Results[0]
			switch {
			case tc.reason == "" && res.Status != conformance.Pass:
				t.Errorf("%s: %s", res.Status, res.Reason)
			case tc.reason != "" && (res.Status != conformance.Fail || !strings.Contains(res.Reason, tc.reason)):
				t.Errorf("%s: %s\nwant a failure with %s", res.Status, res.Reason, tc.reason)
			case strings.Contains(res.Reason, "s3cr3t") || strings.Contains(res.Reason, "ghp-"):
				t.Errorf("the reason shows a value: %s", res.Reason)
			}
		})
	}
}
