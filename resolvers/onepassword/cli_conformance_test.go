package onepassword_test

import (
	"testing"

	"github.com/execref/execref/conformance"
)

// cliFixture is the conformance fixture for cli mode against w's fake op:
// values of every id form and size, NOT_FOUND for each missing part,
// duplicates, ids outside the 1Password syntax, and an item op hangs on.
//
// The deadlines are generous: the suite's largest batch (512 ids, each
// missing one read with its own op process, 8 at a time) took over 3 s
// on a two-core virtual machine under the race detector while the other
// packages' tests ran, where process starts cost several times what they
// do on bare metal. The cases check what happens within and at the
// deadline, not how short it is.
func cliFixture(w *opWorld) *conformance.Fixture {
	p := w.provider("--timeout", "8s")
	p.TimeoutMs = 10000
	return &conformance.Fixture{
		Name:      cliProvider,
		Provider:  p,
		Values:    seedValues(),
		NotFound:  []string{"Nope/OpenAI/api-key", "Private/Nope/api-key", "Private/OpenAI/nope/token", "Private/OpenAI/nope"},
		Ambiguous: []string{"Private/Twin/password", "Shared/X/y", "Private/Dup/password"},
		Invalid: []string{"Private/OpenAI", "a/b/c/d/e", "opb64:QR", "opb64:YS9iL2N",
			opb64("a/b"), opb64(" a/b/c"), "op://a/b"},
		Slow:       []string{"Private/Slow/password"},
		GatewayEnv: map[string]string{},
	}
}

// The conformance suite, every case, against cli mode. Not parallel: the
// suite starts many processes and must not race other tests' installs.
func TestCLIConformance(t *testing.T) {
	w := newOpWorld(t, seedAccount())
	conformance.Run(t, "", cliFixture(w))
}

// The same fixture through the real OpenClaw gateway (make e2e-openclaw;
// skipped otherwise).
func TestCLIConformanceGateway(t *testing.T) {
	w := newOpWorld(t, seedAccount())
	conformance.RunGateway(t, "", cliFixture(w))
}
