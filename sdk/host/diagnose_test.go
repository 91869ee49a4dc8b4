package host

import (
	"fmt"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/policy"
	"github.com/execref/execref/sdk/redact"
)

func TestDiagnoseClasses(t *testing.T) {
	cases := []struct {
		err                   error
		status, meaning, hint string
	}{
		{&ProviderError{Provider: "p", Err: ErrExit, ExitCode: 78}, "exit 78", "configuration missing or invalid", ExitHint(78)},
		{&ProviderError{Provider: "p", Err: ErrExit, ExitCode: 3}, "exit 3", "not a status the protocol defines", "read the resolver's stderr"},
		{&ProviderError{Provider: "p", Err: ErrExit, ExitCode: -1, Signal: "SIGSEGV"}, "killed by SIGSEGV", "a signal this host did not send", "crashed"},
		{&ProviderError{Provider: "p", Err: ErrTimeout, Limit: 5000}, "killed when timeoutMs (5000) passed", "took too long", "raise timeoutMs"},
		{&ProviderError{Provider: "p", Err: ErrNoOutputTimeout, Limit: 700}, "killed after noOutputTimeoutMs (700) without output", "silent", "raise noOutputTimeoutMs"},
		{&ProviderError{Provider: "p", Err: ErrOutputLimit, Limit: 10}, "killed at maxOutputBytes (10)", "exceeded", "raise maxOutputBytes"},
		{&ProviderError{Provider: "p", Err: ErrInvalidJSON}, "exit 0", "stdout is not JSON", "logs belong on stderr"},
		{&ProviderError{Provider: "p", Err: ErrProtocolVersion}, "exit 0", "not a protocol 1 response", "protocolVersion"},
		{&ProviderError{Provider: "p", Err: ErrStart}, "not started", "could not start", "absolute path"},
		{&policy.Error{Rule: policy.ErrTooOpen, Label: "secrets.providers.p.command", Path: "/opt/my bin/r", Forbidden: policy.CommandForbidden},
			"not run", "permissions are too open", `chmod go-w '/opt/my bin/r'`},
		{&policy.Error{Rule: policy.ErrNotExecutable, Label: "secrets.providers.p.command", Path: "/x/r"}, "not run", "not executable", "chmod u+x /x/r"},
		{fmt.Errorf("%w: bad", ErrInvalidConfig), "not run", "provider block is invalid", "fix every problem"},
		{&ProviderError{Provider: "p", Err: ErrTooManyRefs, Limit: 512}, "not run", "fixed limit", "fewer ids"},
	}
	for _, c := range cases {
		d := Diagnose(c.err, nil, nil)
		if d.Status != c.status || !strings.Contains(d.Meaning, c.meaning) || !strings.Contains(d.Hint, c.hint) {
			t.Errorf("%v:\n got %q / %q / %q\nwant %q / …%q… / …%q…", c.err, d.Status, d.Meaning, d.Hint, c.status, c.meaning, c.hint)
		}
	}
}

// A reason that names a file mode turns into the chmod that fixes it;
// other reasons leave the status's hint.
func TestReasonHint(t *testing.T) {
	cases := map[string]string{
		"configuration error: SOPS_AGE_KEY_FILE permissions are too open (0644; want 0600 or stricter): /home/me/keys.txt": "chmod 0600 /home/me/keys.txt (SOPS_AGE_KEY_FILE is 0644)",
		"VAULT_TOKEN_FILE permissions are too open (0640; want 0600 or stricter): /a b/t":                                  "chmod 0600 '/a b/t' (VAULT_TOKEN_FILE is 0640)",
		"secrets.providers.x.command permissions are too open: /it's/r":                                                    `chmod go-w '/it'\''s/r'`,
		"configuration error: SOPS_AGE_KEY_FILE is not readable: /x":                                                       "",
		"": "",
	}
	for reason, want := range cases {
		if got := reasonHint(reason); got != want {
			t.Errorf("%q: hint %q, want %q", reason, got, want)
		}
	}
}

// The reason is the last line the resolver wrote, without its program
// name, skipping a stack and the SDK's note about dropped lines.
func TestReason(t *testing.T) {
	stderr := "r: starting\nr: the reason\nr:   goroutine 1 [running]:\nr:   main.go:3\nr: 2 more lines dropped (stderr is capped at 65536 bytes)\n\n"
	if got := Reason("/bin/dir/r", []byte(stderr), nil); got != "the reason" {
		t.Errorf("reason %q", got)
	}
	// Another program's prefix is kept: it is not ours to cut.
	if got := Reason("/bin/dir/r", []byte("Traceback:\n  File x\nValueError: bad \x1b[31mred\n"), nil); got != `ValueError: bad \x1b[31mred` {
		t.Errorf("reason %q", got)
	}
	if got := Reason("/r", []byte(strings.Repeat("x", 5000)), nil); len(got) > maxReasonBytes+len("…") || !strings.HasSuffix(got, "…") {
		t.Errorf("long reason not bounded: %d bytes", len(got))
	}
	if got := Reason("/r", []byte(" \n\t\n"), nil); got != "" {
		t.Errorf("blank stderr gave reason %q", got)
	}
}

func TestStderrExcerptBounds(t *testing.T) {
	var b strings.Builder
	for i := range 100 {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	ex := StderrExcerpt([]byte(b.String()), nil)
	if len(ex.Lines) != StderrLines || ex.Omitted != 100-StderrLines || ex.Lines[StderrLines-1] != "line 99" || ex.Lines[0] != "line 60" {
		t.Errorf("excerpt of 100 lines: %d lines, %d omitted, first %q", len(ex.Lines), ex.Omitted, ex.Lines[0])
	}
	huge := strings.Repeat("é", 10000) + "END"
	ex = StderrExcerpt([]byte("before\n"+huge), nil)
	if len(ex.Lines) != 1 || ex.Omitted != 1 || !strings.HasSuffix(ex.Lines[0], "END") || len(ex.Lines[0]) > StderrBytes+len("…") || !strings.HasPrefix(ex.Lines[0], "…é") {
		t.Errorf("huge line: %d lines, %d omitted, %d bytes", len(ex.Lines), ex.Omitted, len(ex.Lines[0]))
	}
	if ex := StderrExcerpt([]byte("\n \n"), nil); len(ex.Lines) != 0 || ex.Omitted != 0 {
		t.Errorf("blank stderr: %+v", ex)
	}
}

// Redaction happens before the cut: a secret that spans lines, of which
// only the last is shown, leaves nothing of itself behind.
func TestStderrExcerptRedactsBeforeCutting(t *testing.T) {
	secret := "first-half-of-it\nsecond-half-of-it"
	var red redact.Redactor
	red.Add(secret)
	stderr := strings.Repeat("noise\n", 39) + "leaked: " + secret + "\nthe end\n"
	ex := StderrExcerpt([]byte(stderr), &red)
	text := strings.Join(ex.Lines, "\n")
	if strings.Contains(text, "half-of-it") || !strings.Contains(text, redact.Placeholder) {
		t.Errorf("secret survived the excerpt: %q", text)
	}
}

func TestLooksSecret(t *testing.T) {
	secret := []string{"VAULT_TOKEN", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "SOPS_AGE_KEY", "PGPASSWORD", "DB_PASS", "OPENAI_API_KEY", "VAULT_SECRET_ID", "GITHUB_TOKEN", "key"}
	plain := []string{"SOPS_AGE_KEY_FILE", "VAULT_ADDR", "VAULT_TOKEN_FILE", "HOME", "PATH", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_ROLE_SESSION_NAME", "VAULT_AUTH_METHOD", "SOPS_AGE_KEY_CMD"}
	for _, n := range secret {
		if !LooksSecret(n) {
			t.Errorf("%s does not look secret", n)
		}
	}
	for _, n := range plain {
		if LooksSecret(n) {
			t.Errorf("%s looks secret", n)
		}
	}
}

func TestSecretEnv(t *testing.T) {
	p := Provider{
		PassEnv: []string{"VAULT_TOKEN", "VAULT_ADDR", "UNSET_TOKEN", "DATABASE_URL"},
		Env:     map[string]string{"SOPS_AGE_KEY": "AGE-SECRET-KEY-1XYZ", "SOPS_AGE_KEY_FILE": "/k.txt"},
	}
	gw := mapLookup(map[string]string{"VAULT_TOKEN": "hvs.tok", "VAULT_ADDR": "http://127.0.0.1:8200", "DATABASE_URL": "postgres://app:pw-1234@db/app"})
	got := strings.Join(SecretEnv(p, gw), " ")
	for _, want := range []string{"hvs.tok", "AGE-SECRET-KEY-1XYZ", "pw-1234"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q missing from %q", want, got)
		}
	}
	for _, not := range []string{"127.0.0.1", "/k.txt", "postgres://"} {
		if strings.Contains(got, not) {
			t.Errorf("%q is not secret, got %q", not, got)
		}
	}
}
