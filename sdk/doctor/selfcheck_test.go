//go:build unix

package doctor

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/sdktest"
)

// An execref resolver (told by its build info, without running it) is
// asked to check itself under the gateway's environment: a missing token
// and a server that is down are told apart before any value is read, and
// a failed ref's fix points at the failed check.
func TestSelfCheck(t *testing.T) {
	bin := sdktest.Install(t, sdktest.Cached(t, "./testdata/checkresolver"), nil)
	token := "Tk5-demo-token-value-0042"
	cases := []struct {
		name     string
		gateway  map[string]string
		check    string
		code     protocol.Code
		refOK    bool
		fixHint  string
		checkFix string
	}{
		{"no token", map[string]string{}, "token", protocol.Unauthenticated, false, `own check "token" failed (UNAUTHENTICATED)`, host.ExitHint(77)},
		{"server down", map[string]string{"DEMO_TOKEN": token, "DEMO_DOWN": "1"}, "server", protocol.Unavailable, false, `own check "server" failed (UNAVAILABLE)`, host.ExitHint(69)},
		{"good", map[string]string{"DEMO_TOKEN": token}, "", "", true, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := host.Provider{Command: bin, PassEnv: []string{"DEMO_TOKEN", "DEMO_DOWN"}}
			rep := run(t, config(map[string]host.Provider{"demo": p}, ref("at", "demo", "x")), env(c.gateway))
			if rep.Providers[0].Resolver == "" {
				t.Error("not recognised as an execref resolver")
			}
			var failed []Finding
			for _, f := range rep.Providers[0].Findings {
				if strings.HasPrefix(f.Check, selfCheckPrefix) && f.Status == StatusFail {
					failed = append(failed, f)
				}
			}
			r := findRef(t, rep, "at")
			switch {
			case c.refOK:
				if len(failed) != 0 || r.Status != StatusOK || r.Length != len(token)+2 {
					t.Errorf("failed checks %+v, ref %+v", failed, r)
				}
			default:
				if len(failed) != 1 || failed[0].Check != selfCheckPrefix+c.check || failed[0].Code != string(c.code) || failed[0].Fix != c.checkFix {
					t.Errorf("failed checks %+v, want %s with %s", failed, c.check, c.code)
				}
				if r.Status != StatusFail || !strings.Contains(r.Fix, c.fixHint) {
					t.Errorf("ref %+v", r)
				}
			}
			noValue(t, rep, token)
		})
	}
}

// A binary that is not built from execref's modules is never run with
// `check`: it could take the word for something else.
func TestSelfCheckOnlyForExecref(t *testing.T) {
	dir := binDir(t)
	marker := filepath.Join(dir, "checked")
	cmd := script(t, dir, "r", `if [ "$1" = check ]; then : > checked; fi
/bin/cat >/dev/null
printf '{"protocolVersion":1,"values":{"x":"value-x-1"}}'
`)
	rep := run(t, config(map[string]host.Provider{"p": {Command: cmd}}, ref("at", "p", "x")), nil)
	if exists(marker) {
		t.Fatal("check ran on a third-party binary")
	}
	if rep.Providers[0].Resolver != "" || len(finding(t, rep, "p", CheckSelfCheck)) != 0 {
		t.Errorf("provider %+v", rep.Providers[0])
	}
	if _, ok := host.BuiltWithSDK("/bin/sh"); ok {
		t.Error("/bin/sh taken for an execref resolver")
	}
}

// A resolver from before `check` exits 64 on it: a warning, not a failure.
func TestSelfCheckMissing(t *testing.T) {
	run := &host.Run{ExitCode: 64}
	f := noSelfCheck(&host.ProviderError{Provider: "p", Err: host.ErrExit, ExitCode: 64}, run)
	if f.Status != StatusWarn || !strings.Contains(f.Detail, "does not know `check`") {
		t.Errorf("%+v", f)
	}
}

// A failed check gets the fix a resolution failing for the same reason
// would: the precise change when the detail names one.
func TestSelfCheckFix(t *testing.T) {
	detail := "SOPS_AGE_KEY_FILE permissions are too open (0644; want 0600 or stricter): /home/me/key.txt"
	if got, want := selfCheckFix("/x/r", "CONFIG", detail, nil), "chmod 0600 /home/me/key.txt (SOPS_AGE_KEY_FILE is 0644)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := selfCheckFix("/x/r", "CONFIG", "no --file given", nil); got != host.ExitHint(78) {
		t.Errorf("got %q", got)
	}
}
