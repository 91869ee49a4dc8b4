package conformance_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/conformance"
	"github.com/execref/execref/conformance/gateway"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// The suite's verdicts and hints agree with the real gateway
// (openclaw@2026.9.6, run by make e2e-openclaw): what it tolerates, the
// gateway accepts; what it fails, the gateway breaks on, as its messages
// say.

// Quirks the suite passes resolve through the gateway, every value exact.
func TestGatewayAcceptsTolerated(t *testing.T) {
	g := gateway.Require(t)
	for mutation := range tolerated {
		target, f := reference(t, "--mutate", mutation)
		problems, err := conformance.CheckGateway(context.Background(), g, target, f)
		if err != nil || len(problems) != 0 {
			t.Errorf("%s: %v, %q", mutation, err, problems)
		}
	}
}

// What the gateway makes of refs the suite's new cases and hints are
// about, each resolved alone through a mutant of the reference.
func TestGatewayBreaksAsTheSuiteSays(t *testing.T) {
	g := gateway.Require(t)
	long := strings.Repeat("a", 256)
	for _, tc := range []struct {
		mutation, id, code, message string
		valueOf                     string // or: want the value of this id
		alias                       string // the provider's name, if not the fixture's
	}{
		{mutation: "omit-values-when-all-fail", id: "openai/missing-key", code: "SECRET_PROVIDER_UNAVAILABLE", message: `response missing "values"`},
		{mutation: "drop-id", id: "openai/api-key", code: "SECRET_REF_NOT_FOUND", message: `response missing id "openai/api-key"`},
		{mutation: "wrong-version", id: "openai/api-key", code: "SECRET_PROVIDER_UNAVAILABLE", message: "protocolVersion must be 1."},
		{mutation: "crash-on-underscore", id: "conformance/probe_with_underscores", code: "SECRET_PROVIDER_UNAVAILABLE", message: "exited with code 2."},
		{mutation: "crash-on-256", id: long, code: "SECRET_PROVIDER_UNAVAILABLE", message: "exited with code 2."},
		{mutation: "cut-at-hash", id: "openai/api-key#x", valueOf: "openai/api-key"},
		{mutation: "strip-prefix-colon", id: "x:openai/api-key", valueOf: "openai/api-key"},
		{mutation: "prefix-match", id: "openai/api", valueOf: "openai/api-key"},
		{mutation: "prefix-match", id: "openai/api-key/x", valueOf: "openai/api-key"},
		{mutation: "pinned-provider", id: "openai/api-key", alias: "vault-dev", code: "SECRET_PROVIDER_UNAVAILABLE", message: "exited with code 65."},
	} {
		target, f := reference(t, "--mutate", tc.mutation)
		p := f.Provider
		p.Command = target
		name := f.Name
		if tc.alias != "" {
			name = tc.alias
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		out, err := g.Resolve(ctx, map[string]host.Provider{name: p}, []gateway.Ref{{Provider: name, ID: tc.id}}, map[string]string{})
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", tc.mutation, err)
		}
		o := out[0]
		switch {
		case tc.valueOf != "" && o.Value != f.Values[tc.valueOf]:
			t.Errorf("%s: %s did not get the value of %s: %s %s", tc.mutation, tc.id, tc.valueOf, o.Code, o.Message)
		case tc.valueOf == "" && (o.Code != tc.code || !strings.Contains(o.Message, tc.message)):
			t.Errorf("%s: %s %q, want %s %q", tc.mutation, o.Code, o.Message, tc.code, tc.message)
		}
	}
}

// A value the gateway refuses as a placeholder is refused by the fixture
// check too.
func TestGatewayRefusesPlaceholder(t *testing.T) {
	g := gateway.Require(t)
	f, _ := loadFixture(t, "constant.json")
	target := sdktest.Install(t, filepath.Join("testdata", "mutants", "placeholder.sh"), nil)
	p := f.Provider
	p.Command = target
	out, err := g.Resolve(context.Background(), map[string]host.Provider{f.Name: p}, []gateway.Ref{{Provider: f.Name, ID: "a"}}, map[string]string{})
	if err != nil || out[0].Code != "SECRET_REF_REDACTED_VALUE" {
		t.Fatalf("%+v, %v", out, err)
	}
	f.Values["a"] = "__OPENCLAW_REDACTED__"
	if _, err := conformance.Suite(context.Background(), f, conformance.Options{Command: target}); err == nil {
		t.Error("the suite ran with a placeholder as an expected value")
	}
}
