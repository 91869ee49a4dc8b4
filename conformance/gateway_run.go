package conformance

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/conformance/gateway"
	"github.com/execref/execref/sdk/host"
)

// RunGateway resolves the fixture's ids through the real OpenClaw gateway
// (see gateway.Require: it skips unless make e2e-openclaw installed one,
// and fails when that is required) and checks what the gateway's user
// would get: every value byte-exact, NOT_FOUND ids as
// SECRET_REF_NOT_FOUND, ambiguous ids as a provider error. Name the
// calling test TestGateway… so that make e2e-openclaw runs it.
func RunGateway(t *testing.T, target string, f *Fixture) {
	t.Helper()
	g := gateway.Require(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	problems, err := CheckGateway(ctx, g, target, f)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// CheckGateway is RunGateway's check: it returns what the gateway's user
// would see go wrong, redacted, or an error when the gateway could not run.
func CheckGateway(ctx context.Context, g *gateway.Gateway, target string, f *Fixture) ([]string, error) {
	p, err := f.provider(target)
	if err != nil {
		return nil, err
	}
	ids := append(append(f.valueIDs(), f.NotFound...), f.Ambiguous...)
	refs := make([]gateway.Ref, len(ids))
	for i, id := range ids {
		refs[i] = gateway.Ref{Provider: f.Name, ID: id}
	}
	red := f.redactor()
	outcomes, err := g.Resolve(ctx, map[string]host.Provider{f.Name: p}, refs, f.gatewayEnv())
	if err != nil {
		return nil, errors.New(red.String(err.Error()))
	}
	got := map[string]gateway.Outcome{}
	for _, o := range outcomes {
		got[o.Ref.ID] = o
	}
	var problems []string
	add := func(format string, args ...any) {
		problems = append(problems, red.String(fmt.Sprintf(format, args...)))
	}
	for _, id := range ids {
		o, ok := got[id]
		want, isValue := f.Values[id]
		switch {
		case !ok:
			add("%s: the gateway gave no outcome", idText(id))
		case isValue && o.Code != "":
			add("%s: the gateway says %s: %s", idText(id), o.Code, o.Message)
		case isValue && o.Value != want:
			s, _ := o.Value.(string)
			add("%s: the gateway's value differs from the fixture's: %s", idText(id), difference(s, want))
		case slices.Contains(f.NotFound, id) && o.Code != "SECRET_REF_NOT_FOUND":
			add("%s: the gateway says %s, want SECRET_REF_NOT_FOUND", idText(id), o.Code)
		case slices.Contains(f.Ambiguous, id) && o.Code != "SECRET_REF_PROVIDER_ERROR":
			add("%s: the gateway says %s, want SECRET_REF_PROVIDER_ERROR", idText(id), o.Code)
		}
	}
	return problems, nil
}

// gatewayEnv is the gateway's environment: the fixture's, else this
// process's.
func (f *Fixture) gatewayEnv() map[string]string {
	if f.GatewayEnv != nil {
		return f.GatewayEnv
	}
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return env
}
