//go:build linux || darwin || freebsd

package sdk_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/plugin"
	"github.com/execref/execref/sdk/sdktest"
)

// A backend's warm state (sdk/warm) in the long-lived transports: kept
// between the agent's batches, replaced as its credentials expire, and
// released when the process stops.

// warmFixture is agentFixture with a login declared to expire after ttl,
// which the "server" accepts for valid.
func warmFixture(ttl, valid string, ids ...string) map[string]any {
	fix := agentFixture(nil, ids...)
	fix["login"] = map[string]string{"ttl": ttl, "valid": valid}
	return fix
}

func TestAgentKeepsTheLoginWarmAcrossExpiry(t *testing.T) {
	for name, c := range map[string]struct {
		ttl, valid string
		replaced   string // the record's event when the first login is given up
	}{
		// Declared expiry: the agent opens anew before it (10.4 s is
		// within the ten-second margin after 0.4 s).
		"expiry": {ttl: "10.4s", valid: "1h"},
		// Expired early: the server refuses the token, the backend
		// forgets it, and the next Get opens anew.
		"refused": {ttl: "1h", valid: "400ms", replaced: "refused "},
	} {
		t.Run(name, func(t *testing.T) {
			bin := installAgentResolver(t, warmFixture(c.ttl, c.valid, "a", "b"))
			p := host.Provider{Command: bin, Args: []string{"--verbose"}}
			a := sdktest.StartAgent(t, p)
			p = a.Via(p)
			// The login is opened after start and before the first batch
			// is over: it is due (or refused) 400 ms later.
			start := time.Now()
			var openedBy time.Time
			for range 2 {
				if run := wantValues(t, p, want("", "a", "b")); !strings.Contains(string(run.Stderr), "answered by the agent") {
					t.Fatalf("not answered by the agent:\n%s", run.Stderr)
				}
				if openedBy.IsZero() {
					openedBy = time.Now()
				}
			}
			if time.Since(start) < 350*time.Millisecond {
				if opened := events(t, bin, "agent", "open "); len(opened) != 1 {
					t.Fatalf("two batches within the login's life opened %q, want one login", opened)
				}
			}
			time.Sleep(time.Until(openedBy.Add(450 * time.Millisecond)))
			wantValues(t, p, want("", "a", "b"))
			opened, released := events(t, bin, "agent", "open "), events(t, bin, "agent", "release ")
			if len(opened) != 2 || len(released) != 1 || released[0] != "release "+strings.TrimPrefix(opened[0], "open ") {
				t.Fatalf("opened %q, released %q: want the first login released and a second opened", opened, released)
			}
			if c.replaced != "" && len(events(t, bin, "agent", c.replaced)) != 1 {
				t.Errorf("no %q in the record:\n%s", c.replaced, strings.Join(record(t, bin), "\n"))
			}
			// Every batch used a login the server accepted.
			if used := events(t, bin, "agent", "used "); len(used) != 3 || used[2] != "used "+strings.TrimPrefix(opened[1], "open ") {
				t.Errorf("logins used %q", used)
			}
			// The tokens are secrets of every batch: the agent's log shows
			// none (it logs "using the token …" in each).
			if log := a.Log.String(); strings.Contains(log, "tok-") || strings.Count(log, "using the token [REDACTED]") != 3 {
				t.Errorf("the agent's log:\n%s", log)
			}
		})
	}
}

// The exec side opens a login per run, with the same code.
func TestColdRunsOpenTheLoginEachTime(t *testing.T) {
	bin := installAgentResolver(t, warmFixture("1h", "1h", "a"))
	p := host.Provider{Command: bin}
	for range 2 {
		wantValues(t, p, want("", "a"))
	}
	if opened := events(t, bin, "exec", "open "); len(opened) != 2 || opened[0] == opened[1] {
		t.Errorf("two cold runs opened %q", opened)
	}
	if closed := events(t, bin, "exec", "close"); len(closed) != 0 {
		t.Errorf("an exec run closed the backend: %q", closed)
	}
}

// A go-plugin host's Close lets the resolver stop cleanly: the backend is
// closed and its login released.
func TestPluginRunnerCloseClosesTheBackend(t *testing.T) {
	bin := installAgentResolver(t, warmFixture("1h", "1h", "a"))
	var stderr bytes.Buffer
	r := &plugin.Runner{LookupEnv: gateway.LookupEnv, Stderr: &stderr}
	p := host.Provider{Command: bin}
	for range 2 {
		res, err := r.Resolve(t.Context(), "p", p, []string{"a"})
		if err != nil || res["a"].Value != "value-of-a" {
			t.Fatalf("got %+v, %v", res, err)
		}
	}
	closing := time.Now()
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("Close took %s", time.Since(closing))
	opened := events(t, bin, "plugin", "open ")
	if len(opened) != 1 {
		t.Fatalf("two calls to one plugin process opened %q, want one login", opened)
	}
	if released := events(t, bin, "plugin", "release "); len(released) != 1 || released[0] != "release "+strings.TrimPrefix(opened[0], "open ") {
		t.Errorf("released %q after Close", released)
	}
	if len(events(t, bin, "plugin", "close")) != 1 {
		t.Errorf("Close did not close the backend; record:\n%s\nstderr:\n%s", strings.Join(record(t, bin), "\n"), stderr.String())
	}
}
