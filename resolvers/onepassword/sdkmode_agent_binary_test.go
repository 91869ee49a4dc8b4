//go:build unix

package onepassword

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// The built resolver as a warm agent in sdk mode, with the real SDK, and
// the built resolver on the exec side forwarding to it through the host
// runner, as the gateway runs it. No service account can sign in here
// (no 1Password account can be reached), so no batch can get a value in
// sdk mode; what can run is what comes before the sign-in, and the
// sign-in refused: the SDK's core is compiled once by the agent and
// reused by every batch after (its --verbose lines), batches the core's
// parser answers whole are answered by the agent without the exec side
// ever starting the SDK, and a refused token is the same exit 77 through
// the agent as cold, with the refused client not kept. The kept client
// itself (reused, dropped when refused, shared by concurrent batches) is
// tested with a fake SecretsAPI in sdkwarm_test.go. This test compiles
// the core twice in all (the agent once, the exec side's cold fallback
// once): seconds of CPU each.

// startSDKAgent starts bin as the agent of a provider with args and env,
// with --verbose, and stops it (SIGTERM) when the test ends, requiring
// it to stop in time.
func startSDKAgent(t *testing.T, bin string, args []string, env map[string]string) *sdktest.Agent {
	t.Helper()
	a := sdktest.StartAgent(t, host.Provider{Command: bin, Args: append(slices.Clone(args), "--verbose"), Env: env}, "--idle-timeout", "2m")
	t.Cleanup(func() { a.Stop(t) })
	return a
}

// count is how many lines of the agent's stderr hold phrase.
func count(a *sdktest.Agent, phrase string) int { return strings.Count(a.Log.String(), phrase) }

func TestSDKModeAgentBinaryCompilesOnce(t *testing.T) {
	cert, caFile := standInCert(t, "my.1password.com")
	proxy := startSDKProxy(t, cert, http.StatusUnauthorized)
	token := fakeServiceAccountToken(t)
	env := map[string]string{"OP_SERVICE_ACCOUNT_TOKEN": token, "HTTPS_PROXY": proxy.URL(), "HTTP_PROXY": proxy.URL(), "SSL_CERT_FILE": caFile}
	args := []string{"--mode", "sdk", "--timeout", "29s"}
	bin := sdktest.Install(t, sdktest.Cached(t, "./cmd/openclaw-1password-resolver"), nil)
	agent := startSDKAgent(t, bin, args, env)

	p := host.Provider{Source: "exec", Command: bin, Args: append(slices.Clone(args), "--verbose", "--agent", agent.Socket),
		TimeoutMs: 30000, NoOutputTimeoutMs: 30000, Env: env}
	runner := &host.Runner{LookupEnv: func(string) (string, bool) { return "", false }} // the gateway's env: none of ours
	resolve := func(ids ...string) (map[string]host.Result, *host.Run, error) {
		t.Helper()
		for range 50 { // as startSDKAgent: a fresh copy may be busy
			res, run, err := runner.ResolveRun(context.Background(), "onepassword", p, ids)
			if !errors.Is(err, host.ErrStart) {
				if run == nil {
					t.Fatalf("did not run: %v", err)
				}
				if strings.Contains(string(run.Stderr), token) || strings.Contains(agent.Log.String(), token) {
					t.Errorf("stderr quotes the token")
				}
				return res, run, err
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatal("the resolver could not be started")
		return nil, nil, nil
	}

	// Three batches whose references the SDK's parser refuses: each is
	// answered by the agent, per id, from the core it compiled for the
	// first.
	for i := 1; i <= 3; i++ {
		refs := []string{fmt.Sprintf("op://Private/item-%d-a/password?attribute=type", i), fmt.Sprintf("op://Private/item-%d-b/api-key?attribute=type", i)}
		var ids []string
		for _, ref := range refs {
			id, err := encodeID(ref)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		res, run, err := resolve(ids...)
		if err != nil {
			t.Fatalf("batch %d: %v; stderr: %s", i, err, run.Stderr)
		}
		for j, id := range ids {
			var e *protocol.Error
			if !errors.As(res[id].Err, &e) || e.Code != protocol.InvalidID || !strings.Contains(e.Message, refs[j]+": the 1Password SDK refuses it") {
				t.Errorf("batch %d, %s: %v, want INVALID_ID naming %s", i, refs[j], res[id].Err, refs[j])
			}
		}
		if out := string(run.Stderr); !strings.Contains(out, "answered by the agent on "+agent.Socket) || strings.Contains(out, "SDK core") {
			t.Errorf("batch %d: the exec side did not leave the batch to the agent: %s", i, out)
		}
		if opened, reused := count(agent, "1Password SDK core: opened"), count(agent, "1Password SDK core: reused"); opened != 1 || reused != i-1 {
			t.Errorf("after batch %d the agent opened the core %d times and reused it %d times, want 1 and %d:\n%s", i, opened, reused, i-1, agent.Log.String())
		}
	}
	if targets, _ := proxy.seen(); len(targets) != 0 {
		t.Errorf("batches that need no sign-in reached the network: %q", targets)
	}

	// A reference that needs the sign-in, which the stand-in for
	// 1Password refuses: the agent fails the batch with the cold run's
	// status and reason, keeps no client, and the exec side, resolving
	// cold as it does after any failure of the agent, gets the same.
	_, run, err := resolve("Private/OpenAI/apiKey")
	wantSDKExit(t, run, err, 77, "1Password refused the service account token (authentication error: you are not authenticated)")
	if out := string(run.Stderr); !strings.Contains(out, "resolving cold: the agent on "+agent.Socket+" failed the batch (exit status 77)") {
		t.Errorf("the exec side did not say why it resolved cold: %s", out)
	}
	if count(agent, "1Password SDK core: reused") != 3 || count(agent, "1Password SDK core: opened") != 1 || count(agent, "1Password SDK client: opened") != 0 {
		t.Errorf("the agent's core or client lines are not one opening, three reuses and no client:\n%s", agent.Log.String())
	}
	if _, requests := proxy.seen(); len(requests) != 2 || requests[0] != "POST my.1password.com/api/v3/auth/start" || requests[1] != requests[0] {
		t.Errorf("the stand-in saw %q, want one sign-in from the agent and one from the cold run", requests)
	}
	t.Logf("the agent's stderr:\n%s", agent.Log.String())
}
