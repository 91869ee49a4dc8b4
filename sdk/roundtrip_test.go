package sdk_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/redact"
	"github.com/execref/execref/sdk/sdktest"
)

// These tests run the built reference resolver through the host runner, as
// the gateway would run it: empty environment, cwd = its directory, limits.

// reference installs the reference resolver with a fixture beside it and
// returns the provider block that runs it.
func reference(t testing.TB, fix map[string]any, args ...string) host.Provider {
	t.Helper()
	fixture, _ := json.Marshal(fix)
	bin := sdktest.Install(t, sdktest.Cached(t, "./testdata/reference"), map[string][]byte{"fixture.json": fixture})
	return host.Provider{Source: "exec", Command: bin, Args: args}
}

// emptyEnv is a gateway environment with nothing in it.
var emptyEnv = &host.Runner{LookupEnv: func(string) (string, bool) { return "", false }}

const pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n" +
	"ünïcødé \"quotes\" \\ back\\slash \t tab <&>\n-----END PRIVATE KEY-----\n"

func TestRoundTripValuesAndErrors(t *testing.T) {
	p := reference(t, map[string]any{
		"values": map[string]string{"openai/apiKey": "sk-123", "tls#key": pem},
		"errors": map[string]string{"denied/x": "PERMISSION_DENIED", "dup": "AMBIGUOUS_DUPLICATE_KEY"},
	})
	res, err := emptyEnv.Resolve(context.Background(), "ref", p, []string{"openai/apiKey", " tls#key ", "missing", "denied/x", "dup", "openai/apiKey"})
	if err != nil {
		t.Fatal(err)
	}
	if res["openai/apiKey"].Value != "sk-123" || res["tls#key"].Value != pem {
		t.Fatalf("values not byte-exact: %+v", res)
	}
	want := map[string]struct {
		code protocol.Code
		user string
	}{
		"missing":  {protocol.NotFound, "SECRET_REF_NOT_FOUND"},
		"denied/x": {protocol.PermissionDenied, "SECRET_REF_PROVIDER_ERROR"},
		"dup":      {protocol.AmbiguousDuplicateKey, "SECRET_REF_PROVIDER_ERROR"},
	}
	for id, w := range want {
		err := res[id].Err
		if !errors.Is(err, w.code) || host.UserCode(err) != w.user {
			t.Errorf("%s: %v (%s), want %s (%s)", id, err, host.UserCode(err), w.code, w.user)
		}
	}
	if len(res) != 5 {
		t.Errorf("got %d results, want 5", len(res))
	}
}

// run sends raw stdin, bypassing the gateway's own id checks.
func run(t *testing.T, p host.Provider, stdin string) *host.Run {
	t.Helper()
	r, err := emptyEnv.Exec(context.Background(), "ref", p, []byte(stdin))
	if r == nil {
		t.Fatalf("did not run: %v", err)
	}
	return r
}

func TestRoundTripInvalidIDsNeverReachTheBackend(t *testing.T) {
	// The fixture panics for "a b": if the backend saw it, the run would exit 70.
	p := reference(t, map[string]any{"values": map[string]string{"ok": "v"}, "panic": "a b"})
	r := run(t, p, `{"protocolVersion":1,"provider":"ref","ids":["ok","a b","x/../y",".hidden"]}`)
	if r.ExitCode != 0 {
		t.Fatalf("exit %d, stderr %q", r.ExitCode, r.Stderr)
	}
	res, err := host.ParseResponse("ref", r.Stdout, []string{"ok", "a b", "x/../y", ".hidden"}, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a b", "x/../y", ".hidden"} {
		if !errors.Is(res[id].Err, protocol.InvalidID) {
			t.Errorf("%q: %v", id, res[id].Err)
		}
	}
	if res["ok"].Value != "v" {
		t.Errorf("ok: %+v", res["ok"])
	}
}

func TestRoundTripBadInput(t *testing.T) {
	p := reference(t, map[string]any{"values": map[string]string{"a": "v"}})
	huge := `{"protocolVersion":1,"provider":"ref","ids":["` + strings.Repeat("a", 2<<20) + `"]}`
	for name, in := range map[string]string{
		"empty": "", "malformed": "{", "version": `{"protocolVersion":2,"provider":"ref","ids":["a"]}`,
		"types": `{"protocolVersion":1,"provider":"ref","ids":[1]}`, "oversize": huge,
	} {
		r := run(t, p, in)
		if r.ExitCode != sdk.ExitBadRequest || len(r.Stdout) != 0 {
			t.Errorf("%s: exit %d stdout %q", name, r.ExitCode, r.Stdout)
		}
		if lines := strings.Count(string(r.Stderr), "\n"); lines != 1 {
			t.Errorf("%s: stderr has %d lines: %q", name, lines, r.Stderr)
		}
	}
}

func TestRoundTripDeadline(t *testing.T) {
	p := reference(t, map[string]any{
		"values": map[string]string{"fast": "f", "slow": "s"},
		"delays": map[string]string{"slow": "30s"},
	}, "--timeout", "300ms")
	res, err := emptyEnv.Resolve(context.Background(), "ref", p, []string{"fast", "slow"})
	if err != nil {
		t.Fatal(err)
	}
	if res["fast"].Value != "f" || !errors.Is(res["slow"].Err, protocol.Timeout) {
		t.Fatalf("got %+v", res)
	}
	// With a deadline longer than the host's timeout, the host kills it.
	p = reference(t, map[string]any{"values": map[string]string{"slow": "s"}, "delays": map[string]string{"slow": "30s"}}, "--timeout", "20s")
	p.TimeoutMs = 300
	_, err = emptyEnv.Resolve(context.Background(), "ref", p, []string{"slow"})
	if !errors.Is(err, host.ErrTimeout) || err.Error() != `Exec provider "ref" timed out after 300ms.` {
		t.Fatalf("got %v", err)
	}
}

func TestRoundTripWholeProviderFailure(t *testing.T) {
	for code, status := range map[string]int{"UNAUTHENTICATED": sdk.ExitNoPerm, "UNAVAILABLE": sdk.ExitUnavailable} {
		p := reference(t, map[string]any{"fail": code})
		_, err := emptyEnv.Resolve(context.Background(), "ref", p, []string{"a"})
		var pe *host.ProviderError
		if !errors.As(err, &pe) || !errors.Is(err, host.ErrExit) || pe.ExitCode != status {
			t.Errorf("%s: %v, want exit %d", code, err, status)
		}
	}
}

// The environment is empty but for passEnv, env and OPENCLAW_CLI, and the
// fixture is found relative to the binary's directory.
func TestRoundTripEnvironmentAndCwd(t *testing.T) {
	p := reference(t, map[string]any{"values": map[string]string{"a": "v"}, "env": []string{"OPENCLAW_CLI", "TOKEN", "LITERAL"}})
	_, err := emptyEnv.Resolve(context.Background(), "ref", p, []string{"a"})
	if pe := (*host.ProviderError)(nil); !errors.As(err, &pe) || pe.ExitCode != sdk.ExitConfig {
		t.Fatalf("TOKEN and LITERAL unset: got %v, want exit %d", err, sdk.ExitConfig)
	}
	gateway := &host.Runner{LookupEnv: func(k string) (string, bool) {
		if k == "TOKEN" {
			return "t", true
		}
		return "", false
	}}
	p.PassEnv, p.Env = []string{"TOKEN", "UNSET"}, map[string]string{"LITERAL": "x"}
	res, err := gateway.Resolve(context.Background(), "ref", p, []string{"a"})
	if err != nil || res["a"].Value != "v" {
		t.Fatalf("got %+v, %v", res, err)
	}
}

func TestRoundTripNeverLeaksValues(t *testing.T) {
	const secret = "s3cr3t-\"value\"\nwith-newline"
	p := reference(t, map[string]any{
		"values": map[string]string{"a": secret, "b": secret + "-b", "c": secret + "-c"},
		"errors": map[string]string{"b": "INVALID_VALUE"},
	}, "--verbose")
	r := run(t, p, string(protocol.EncodeRequest(protocol.Request{ProtocolVersion: 1, Provider: "ref", IDs: []string{"a", "b"}})))
	if r.ExitCode != 0 || !strings.Contains(string(r.Stderr), "resolved a to "+redact.Placeholder) {
		t.Fatalf("exit %d, verbose stderr %q", r.ExitCode, r.Stderr)
	}
	res, _ := host.ParseResponse("ref", r.Stdout, []string{"a", "b"}, true)
	for _, text := range []string{string(r.Stderr), res["b"].Err.Error()} {
		if strings.Contains(text, "s3cr3t") {
			t.Errorf("value leaked: %q", text)
		}
	}
	p = reference(t, map[string]any{"values": map[string]string{"c": secret}, "panic": "c"}, "--verbose")
	r = run(t, p, `{"protocolVersion":1,"provider":"ref","ids":["c"]}`)
	if r.ExitCode != sdk.ExitInternal || len(r.Stdout) != 0 || !strings.Contains(string(r.Stderr), "internal error: panic: a string value, withheld") {
		t.Fatalf("panic: exit %d stdout %q stderr %q", r.ExitCode, r.Stdout, r.Stderr)
	}
	if strings.Contains(string(r.Stderr), "s3cr3t") {
		t.Errorf("value leaked on panic: %q", r.Stderr)
	}
}

func TestRoundTripConcurrentRunsAgree(t *testing.T) {
	p := reference(t, map[string]any{"values": map[string]string{"a": "1", "b": "2"}})
	var wg sync.WaitGroup
	outs := make([]string, 8)
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := emptyEnv.Exec(context.Background(), "ref", p, []byte(`{"protocolVersion":1,"provider":"ref","ids":["a","b","c"]}`))
			if err != nil {
				t.Error(err)
				return
			}
			outs[i] = string(r.Stdout)
		}()
	}
	wg.Wait()
	for i := range outs {
		if outs[i] != outs[0] || outs[i] == "" {
			t.Fatalf("run %d answered %q, run 0 %q", i, outs[i], outs[0])
		}
	}
}

// BenchmarkRoundTrip is what the gateway pays per batch: policy check,
// process start, request, response, parse.
func BenchmarkRoundTrip(b *testing.B) {
	for _, n := range []int{1, 64, 512} {
		values := map[string]string{}
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("secret/app-%03d#apiKey", i)
			values[ids[i]] = "sk-0123456789abcdef0123456789abcdef"
		}
		p := reference(b, map[string]any{"values": values})
		b.Run(fmt.Sprintf("ids=%d", n), func(b *testing.B) {
			for b.Loop() {
				res, err := emptyEnv.Resolve(context.Background(), "ref", p, ids)
				if err != nil || len(res) != n {
					b.Fatalf("%d results, %v", len(res), err)
				}
			}
		})
	}
}
