//go:build unix

package host

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/redact"
)

// A resolver that fails as a whole: ResolveRun hands over its run, and the
// diagnosis gives its reason, the meaning of its status and a hint, with
// the token it leaked redacted everywhere.
func TestDiagnoseFailedRun(t *testing.T) {
	dir := tempDir(t)
	cmd := script(t, dir, "resolver", `echo "resolver: starting with token $VAULT_TOKEN" >&2
echo "resolver: login refused for token $VAULT_TOKEN" >&2
exit 77
`)
	p := quick(cmd)
	p.PassEnv = []string{"VAULT_TOKEN"}
	gw := map[string]string{"VAULT_TOKEN": "hvs.SECRET-token-value"}
	_, run, err := runner(gw).ResolveRun(context.Background(), "vault", p, []string{"a"})
	if !errors.Is(err, ErrExit) || run == nil || run.ExitCode != 77 {
		t.Fatalf("err %v, run %+v", err, run)
	}
	var red redact.Redactor
	red.Add(SecretEnv(p, mapLookup(gw))...)
	d := Diagnose(err, run, &red)
	if d.Status != "exit 77" || d.Meaning != "credentials refused" || d.Hint != ExitHint(77) {
		t.Errorf("diagnosis %+v", d)
	}
	if d.Reason != "login refused for token "+redact.Placeholder {
		t.Errorf("reason %q", d.Reason)
	}
	all := d.Reason + strings.Join(d.Stderr.Lines, "\n")
	if strings.Contains(all, "SECRET-token") || len(d.Stderr.Lines) != 2 {
		t.Errorf("stderr %q", d.Stderr.Lines)
	}
}

// Nothing ran: no Run. A response that does not parse: the Run is there.
func TestResolveRunReturnsTheRun(t *testing.T) {
	dir := tempDir(t)
	p := quick(script(t, dir, "chatty", "echo 'not json'\necho 'resolver: oops' >&2\n"))
	_, run, err := runner(nil).ResolveRun(context.Background(), "vault", p, []string{"a"})
	if !errors.Is(err, ErrInvalidJSON) || run == nil || string(run.Stderr) != "resolver: oops\n" {
		t.Fatalf("err %v, run %+v", err, run)
	}
	if d := Diagnose(err, run, nil); d.Reason != "resolver: oops" || d.Status != "exit 0" {
		t.Errorf("diagnosis %+v (the script's name is chatty, so its prefix stays)", d)
	}
	p.Command = dir + "/missing"
	if _, run, err := runner(nil).ResolveRun(context.Background(), "vault", p, []string{"a"}); err == nil || run != nil {
		t.Fatalf("missing command: err %v, run %+v", err, run)
	}
	res, run, err := runner(nil).ResolveRun(context.Background(), "vault", p, nil)
	if err != nil || run != nil || len(res) != 0 {
		t.Fatalf("no ids: %v %v %v", res, run, err)
	}
}
