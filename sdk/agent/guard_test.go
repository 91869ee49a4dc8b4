//go:build linux || darwin || freebsd

package agent_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/sdk/agent"
)

// Digests as the SDK writes them: "KIND NAME HASH" lines, sorted.
const (
	hashA = "1111111111111111111111111111111111111111111111111111111111111111"
	hashB = "2222222222222222222222222222222222222222222222222222222222222222"
)

func TestConfigDiffNamesTheLines(t *testing.T) {
	agentDigest := strings.Join([]string{
		"env HOME " + hashA, "env ONLY_AGENT " + hashA, "env VAULT_ADDR " + hashA, "flag --file " + hashA, "flag --mount " + hashA,
	}, "\n")
	callerDigest := strings.Join([]string{
		"env HOME " + hashA, "env ONLY_CALLER " + hashB, "env VAULT_ADDR " + hashB, "flag --file " + hashB, "flag --mount " + hashA, "flag --region " + hashA,
	}, "\n")
	why := agent.ConfigDiff(agentDigest, callerDigest)
	for _, part := range []string{
		"differs in env VAULT_ADDR, flag --file;",
		"only the caller has env ONLY_CALLER, flag --region;",
		"only the agent has env ONLY_AGENT)",
	} {
		if !strings.Contains(why, part) {
			t.Errorf("ConfigDiff does not say %q: %q", part, why)
		}
	}
	for _, same := range []string{"HOME", "--mount"} {
		if strings.Contains(why, same) {
			t.Errorf("ConfigDiff names %s, which is the same on both sides: %q", same, why)
		}
	}
	if strings.Contains(why, "1111") || strings.Contains(why, "2222") {
		t.Errorf("ConfigDiff shows a hash: %q", why)
	}
}

// Only the kinds of difference there are appear, and an empty digest (no
// flags, empty environment) is a digest like any other.
func TestConfigDiffOnlyWhatThereIs(t *testing.T) {
	why := agent.ConfigDiff("", "env A "+hashA)
	if !strings.Contains(why, "(only the caller has env A)") || strings.Contains(why, "differs in") || strings.Contains(why, "only the agent") {
		t.Errorf("ConfigDiff of an empty agent digest: %q", why)
	}
	why = agent.ConfigDiff("flag --x "+hashA, "flag --x "+hashB)
	if !strings.Contains(why, "(differs in flag --x)") {
		t.Errorf("ConfigDiff of one differing flag: %q", why)
	}
	if !strings.Contains(why, "start it with the provider's args and environment") {
		t.Errorf("ConfigDiff does not say what to do: %q", why)
	}
}

// A digest of another form (not the SDK's lines) is only said to differ:
// nothing of it is echoed.
func TestConfigDiffOfAnotherForm(t *testing.T) {
	for _, pair := range [][2]string{
		{"some opaque digest", "env A " + hashA},
		{"env A " + hashA, "a secret-looking caller digest"},
		{"env A " + hashA, "env A " + hashA + "\n\n"},
		{"env A " + hashA, "env A not-a-hash"},
	} {
		why := agent.ConfigDiff(pair[0], pair[1])
		if why != "the agent runs with another configuration than the caller's" {
			t.Errorf("ConfigDiff(%q, %q) = %q", pair[0], pair[1], why)
		}
	}
}

// The guard refuses a batch of another configuration before the backend
// sees it, names the differing lines to the caller and in its log, and
// answers the next batch of its own configuration.
func TestGuardRefusesAnotherConfiguration(t *testing.T) {
	const own = "env HOME " + hashA + "\nflag --file " + hashA
	r := serve(t, agent.Options{Config: own})
	req := request("a")
	req.Config = "env HOME " + hashA + "\nflag --file " + hashB
	_, err := forward(r.socket, 5*time.Second, req)
	if !errors.Is(err, agent.ErrRefused) || !strings.Contains(err.Error(), "(differs in flag --file)") {
		t.Fatalf("Forward with another --file: %v, want ErrRefused naming flag --file", err)
	}
	r.logs.waitFor(t, "refused a batch: the agent runs with another configuration than the caller's (differs in flag --file)")
	if strings.Contains(err.Error()+r.logs.String(), hashB) || strings.Contains(err.Error()+r.logs.String(), hashA) {
		t.Errorf("a hash was shown: %v\n%s", err, r.logs)
	}
	if n := r.echo.calls.Load(); n != 0 {
		t.Fatalf("the backend was called %d times for a refused batch", n)
	}
	req.Config = own
	if _, err := forward(r.socket, 5*time.Second, req); err != nil {
		t.Fatalf("Forward with the agent's configuration after a refusal: %v", err)
	}
}
