package vaulttest_test

import (
	"maps"
	"testing"

	"github.com/execref/execref/conformance"
	"github.com/execref/execref/resolvers/vault/vaulttest/server"
)

// fixture is the conformance fixture for the resolver against s, through
// a proxy that holds reads of kv2/slow/ past the resolver's deadline (the
// fixture's slow ids).
func fixture(t *testing.T, s *server.Server) *conformance.Fixture {
	px := server.NewProxy(t, s.Addr)
	px.SetHook(slowHook)
	values := maps.Clone(server.Values)
	p := tokenProvider(px.URL, s.RootToken, "--timeout", "3s")
	p.TimeoutMs = 5000
	return &conformance.Fixture{
		Name:       "vault",
		Provider:   p,
		Values:     values,
		NotFound:   append(append(append([]string(nil), server.NotFound...), server.Deleted...), server.Destroyed...),
		Invalid:    server.InvalidID,
		Slow:       []string{"kv2/slow/path#x"},
		GatewayEnv: map[string]string{},
	}
}

// The conformance suite, every case.
func TestConformance(t *testing.T) {
	s := server.Start(t)
	conformance.Run(t, "", fixture(t, s))
}

// The same fixture through the real OpenClaw gateway (make e2e-openclaw;
// skipped otherwise).
func TestGatewayConformance(t *testing.T) {
	s := server.Start(t)
	conformance.RunGateway(t, "", fixture(t, s))
}
