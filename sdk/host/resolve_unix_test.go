//go:build unix

package host

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/policy"
)

// recorder is a resolver that saves its stdin to the file named by its
// first argument and answers with the response in its second.
func recorder(t *testing.T, dir, response string) (Provider, string) {
	t.Helper()
	saved := filepath.Join(dir, "request")
	cmd := script(t, dir, "resolver", `/bin/cat > "$1"
printf '%s' "$2"
`)
	p := quick(cmd)
	p.Args = []string{saved, response}
	return p, saved
}

func TestResolve(t *testing.T) {
	dir := tempDir(t)
	p, saved := recorder(t, dir, `{"protocolVersion":1,"values":{"b":"vb","a":"va","x":"__OPENCLAW_REDACTED__"},"errors":{"c":{"code":"NOT_FOUND","message":"no such secret"}}}`)
	got, err := runner(nil).Resolve(context.Background(), "vault", p, []string{" b ", "a", "b", "c", "\ufeffa\n", "d", "x"})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := os.ReadFile(saved)
	if want := `{"protocolVersion":1,"provider":"vault","ids":["b","a","c","d","x"]}`; string(req) != want {
		t.Fatalf("request %q, want exactly %q", req, want)
	}
	if len(got) != 5 {
		t.Fatalf("results %v", got)
	}
	checkResult(t, "a", got["a"], want{value: "va"})
	checkResult(t, "b", got["b"], want{value: "vb"})
	checkResult(t, "c", got["c"], want{err: protocol.NotFound, msg: "NOT_FOUND: no such secret"})
	checkResult(t, "d", got["d"], want{err: ErrMissingID, msg: `Exec provider "vault" response missing id "d".`})
	checkResult(t, "x", got["x"], want{value: "__OPENCLAW_REDACTED__", err: ErrRedactedValue, msg: `Secret reference "exec:vault:x" resolves to a redaction placeholder`})
	codes := map[string]string{"a": "", "c": CodeRefNotFound, "d": CodeRefNotFound, "x": CodeRefRedactedValue}
	for id, want := range codes {
		if UserCode(got[id].Err) != want {
			t.Errorf("%s: UserCode %q, want %q", id, UserCode(got[id].Err), want)
		}
	}
}

func TestResolveRawValue(t *testing.T) {
	dir := tempDir(t)
	p, _ := recorder(t, dir, "  hunter2\n")
	f := false
	p.JSONOnly = &f
	got, err := runner(nil).Resolve(context.Background(), "vault", p, []string{"only"})
	if err != nil || got["only"].Value != "hunter2" || got["only"].Err != nil {
		t.Fatalf("got %v, %v", got, err)
	}
	// The default jsonOnly refuses it.
	p.JSONOnly = nil
	if _, err := runner(nil).Resolve(context.Background(), "vault", p, []string{"only"}); !errors.Is(err, ErrInvalidJSON) {
		t.Fatalf("jsonOnly default: %v", err)
	}
}

// Whole-call failures happen before anything runs: the resolver would
// record a request if it ran.
func TestResolveRefusesBeforeRunning(t *testing.T) {
	dir := tempDir(t)
	p, saved := recorder(t, dir, `{"protocolVersion":1,"values":{}}`)
	many := make([]string, 513)
	for i := range many {
		many[i] = "id" + strconv.Itoa(i)
	}
	badConfig := p
	badConfig.MaxOutputBytes = -1
	badCommand := p
	badCommand.Command = filepath.Join(dir, "missing")

	cases := []struct {
		name  string
		alias string
		p     Provider
		ids   []string
		is    error
		msg   string
		code  string
	}{
		{"empty id", "vault", p, []string{"a", "  "}, protocol.InvalidID, "Secret reference id is empty.", CodeRefInvalid},
		{"empty string id", "vault", p, []string{""}, protocol.InvalidID, "Secret reference id is empty.", CodeRefInvalid},
		{"invalid id", "vault", p, []string{"a", "has space"}, protocol.InvalidID, "(ref: exec:vault:has space).", CodeRefInvalid},
		{"dot segment", "vault", p, []string{"a/../b"}, protocol.InvalidID, "(ref: exec:vault:a/../b).", CodeRefInvalid},
		{"invalid alias", "Vault", p, []string{"a"}, protocol.ErrInvalidProvider, `invalid provider alias "Vault"`, CodeRefInvalid},
		{"invalid config", "vault", badConfig, []string{"a"}, ErrInvalidConfig, "maxOutputBytes", CodeProviderInvalid},
		{"too many refs", "vault", p, many, ErrTooManyRefs, `Exec provider "vault" exceeded maxRefsPerProvider (512).`, CodeProviderInvalid},
		// maxRefsPerProvider is checked before the command.
		{"too many refs, bad command", "vault", badCommand, many, ErrTooManyRefs, `Exec provider "vault" exceeded maxRefsPerProvider (512).`, CodeProviderInvalid},
		{"bad command", "vault", badCommand, []string{"a"}, policy.ErrNotReadable, label + " is not readable: " + badCommand.Command, CodeProviderUnavailable},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := runner(nil).Resolve(context.Background(), c.alias, c.p, c.ids)
			if got != nil || !errors.Is(err, c.is) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("got %v, %v; want %v containing %q", got, err, c.is, c.msg)
			}
			if UserCode(err) != c.code {
				t.Errorf("UserCode %q, want %q", UserCode(err), c.code)
			}
			if exists(saved) {
				t.Fatal("the resolver ran")
			}
		})
	}
}

func TestResolveLimits(t *testing.T) {
	dir := tempDir(t)
	p, saved := recorder(t, dir, `{"protocolVersion":1,"values":{}}`)
	// 512 distinct ids (plus duplicates) are allowed.
	ids := make([]string, 0, 1024)
	for i := range 512 {
		id := strings.Repeat("k", 200) + strconv.Itoa(i)
		ids = append(ids, id, " "+id)
	}
	got, err := runner(nil).Resolve(context.Background(), "vault", p, ids)
	if err != nil || len(got) != 512 {
		t.Fatalf("512 ids: %d results, %v", len(got), err)
	}
	req, _ := os.ReadFile(saved)
	if !strings.HasSuffix(string(req), `"]}`) || len(req) > MaxBatchBytes {
		t.Fatalf("request of %d bytes", len(req))
	}
	// No ids: no run.
	if err := os.Remove(saved); err != nil {
		t.Fatal(err)
	}
	got, err = runner(nil).Resolve(context.Background(), "vault", p, nil)
	if err != nil || len(got) != 0 || got == nil || exists(saved) {
		t.Fatalf("no ids: %v, %v, ran=%v", got, err, exists(saved))
	}
}

func TestResolveRunFailures(t *testing.T) {
	dir := tempDir(t)
	p := quick(script(t, dir, "fails", "echo '{\"protocolVersion\":1,\"values\":{\"a\":\"x\"}}'\nexit 78\n"))
	if _, err := runner(nil).Resolve(context.Background(), "vault", p, []string{"a"}); !errors.Is(err, ErrExit) || UserCode(err) != CodeProviderUnavailable {
		t.Fatalf("exit 78: %v", err)
	}
	p = quick(script(t, dir, "v2", "echo '{\"protocolVersion\":2,\"values\":{}}'\n"))
	if _, err := runner(nil).Resolve(context.Background(), "vault", p, []string{"a"}); !errors.Is(err, ErrProtocolVersion) {
		t.Fatalf("v2: %v", err)
	}
}
