//go:build unix

package doctor

import (
	"strings"
	"testing"

	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/redact"
)

// leaked fails the test when any rendering of the report holds one of
// the fragments, in whatever form: parts of a value that an escape or a
// cut could have kept from the redactor.
func leaked(t *testing.T, rep *Report, fragments ...string) {
	t.Helper()
	out := rendered(t, rep)
	for _, f := range fragments {
		if strings.Contains(out, f) {
			t.Errorf("%q (part of a value) appears in the report:\n%s", f, out)
		}
	}
}

// A provider that fails as a whole may echo on stderr a value that
// another provider, finishing later, returns: its diagnosis is built once
// every provider has finished, so the value is redacted there too, even
// where the reason is cut (at about 1 KiB) in the middle of it, which no
// later scrub of the report could repair.
func TestProviderFailureRedactsValuesOfLaterProviders(t *testing.T) {
	const value = "Jd8-later-provider-value-46nq"
	dir := binDir(t)
	done := dir + "/failed-done"
	failing := script(t, dir, "failing", `/bin/cat >/dev/null
echo "failing: cannot go on; the other store holds `+strings.Repeat("p", 975)+` `+value+`" >&2
: > `+done+`
exit 78
`)
	// The later provider answers only after the failing one has exited
	// and well after doctor has had its result.
	later := script(t, dir, "later", `/bin/cat >/dev/null
while [ ! -f `+done+` ]; do /bin/sleep 0.05; done
/bin/sleep 1
printf '%s' '{"protocolVersion":1,"values":{"k":"`+value+`"}}'
`)
	cfg := config(map[string]host.Provider{"afail": {Command: failing}, "blater": {Command: later}},
		ref("p.fail", "afail", "x"), ref("p.later", "blater", "k"))
	rep := run(t, cfg, nil)
	if r := findRef(t, rep, "p.later"); r.Status != StatusOK || r.Length != len(value) {
		t.Fatalf("later provider: %+v", r)
	}
	r := findRef(t, rep, "p.fail")
	if r.Status != StatusFail || !strings.HasSuffix(r.Reason, "p "+redact.Placeholder) {
		t.Errorf("failed provider: %+v", r)
	}
	noValue(t, rep, value)
	leaked(t, rep, "Jd8-later")
}

// A resolver's per-id message quoting a value with a quote and a newline
// in it is redacted before it is escaped and cut to one line.
func TestIDMessageRedactedBeforeEscaping(t *testing.T) {
	dir := binDir(t)
	// The value is Kq4"leak-head<newline>leak-tail-Vw9 (JSON-escaped in the response).
	cmd := answer(t, dir, "r", `{"protocolVersion":1,"values":{"a":"Kq4\"leak-head\nleak-tail-Vw9"},"errors":{"b":{"code":"NOT_FOUND","message":"no b; a is Kq4\"leak-head\nleak-tail-Vw9"}}}`)
	cfg := config(map[string]host.Provider{"store": {Command: cmd}}, ref("p.a", "store", "a"), ref("p.b", "store", "b"))
	rep := run(t, cfg, nil)
	if r := findRef(t, rep, "p.b"); r.Status != StatusFail || !strings.Contains(r.Reason, "no b; a is [REDACTED]") {
		t.Errorf("b: %+v", r)
	}
	leaked(t, rep, "leak-head", "leak-tail")
}

// A self-check's name and detail come from the resolver: they are
// redacted, then kept to one bounded line.
func TestSelfCheckFindingsRedactedAndBounded(t *testing.T) {
	const value = "Rn6\"slf9\ncheck-value-Tz1"
	d := newDoctor(config(nil), Options{})
	d.red.Add(value)
	p := Provider{Name: "demo", Command: "/x/r", Findings: []Finding{
		{Check: selfCheckPrefix + "name " + value + "\x1b[2J", Status: StatusFail, Code: "CONFIG",
			Detail: "detail " + value + "\n" + strings.Repeat("z", 2000)},
		{Check: CheckSelfCheck, Status: StatusWarn, Detail: "sdk entry " + value},
	}}
	d.settleSelfCheck(&p)
	rep := &Report{Config: "/test/openclaw.json", Providers: []Provider{p}, Refs: []Ref{}}
	for _, f := range p.Findings {
		if strings.ContainsAny(f.Check+f.Detail, "\n\x1b") || len(f.Detail) > 4*maxCheckDetail+8 || len(f.Check) > 4*maxCheckName+len(selfCheckPrefix)+8 {
			t.Errorf("not one bounded line: %q %q", f.Check, f.Detail)
		}
	}
	if !strings.Contains(p.Findings[0].Check, "name [REDACTED]") || !strings.Contains(p.Findings[1].Detail, "sdk entry [REDACTED]") {
		t.Errorf("findings %+v", p.Findings)
	}
	leaked(t, rep, "slf9", "check-value")
}
