package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/sdktest"
)

// shellResolver installs a /bin/sh script as a resolver. It gets no PATH,
// so it uses builtins only.
func shellResolver(t *testing.T, body string) string {
	t.Helper()
	script := filepath.Join(t.TempDir(), "script-resolver")
	if err := os.WriteFile(script, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return sdktest.Install(t, script, nil)
}

// The gateway never shows a resolver's stderr; the runner always does,
// with the values of the batch and secret-looking passEnv values
// redacted, whether the provider fails or not.
func TestStderrIsShownRedacted(t *testing.T) {
	const token = "hvs.CAESIJ-test-token-value"
	t.Setenv("EXECREF_TEST_VAULT_TOKEN", token)
	ok := shellResolver(t, `read -r request
echo "warning: TLS verification is off; token $EXECREF_TEST_VAULT_TOKEN" >&2
echo "returning sk-the-value-0123 for a" >&2
printf '{"protocolVersion":1,"values":{"a":"sk-the-value-0123"}}'
`)
	var out, errOut bytes.Buffer
	status := run([]string{"--command", ok, "--pass-env", "EXECREF_TEST_VAULT_TOKEN", "a"}, &out, &errOut)
	if status != exitOK {
		t.Fatalf("status %d, stderr %q", status, errOut.String())
	}
	want := "openclaw-resolver-run: the resolver's stderr (2 lines, redacted):\n" +
		"  warning: TLS verification is off; token [REDACTED]\n" +
		"  returning [REDACTED] for a\n"
	if errOut.String() != want {
		t.Errorf("stderr %q, want %q", errOut.String(), want)
	}

	failing := shellResolver(t, `echo "script-resolver: starting" >&2
echo "script-resolver: login refused for $EXECREF_TEST_VAULT_TOKEN" >&2
exit 77
`)
	out.Reset()
	errOut.Reset()
	status = run([]string{"--command", failing, "a", "--pass-env", "EXECREF_TEST_VAULT_TOKEN", "--pass-env", "EXECREF_TEST_UNSET"}, &out, &errOut)
	for _, want := range []string{
		"openclaw-resolver-run: passEnv EXECREF_TEST_UNSET is not set in this environment: the gateway would drop it silently",
		`Exec provider "default" exited with code 77. [SECRET_PROVIDER_UNAVAILABLE]`,
		"\n  status: exit 77: credentials refused\n",
		"\n  reason: login refused for [REDACTED]\n",
		"\n  hint:   the backend refused the credentials: ",
		"\n  stderr (2 lines, redacted):\n    script-resolver: starting\n    script-resolver: login refused for [REDACTED]\n",
	} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("%q missing from stderr:\n%s", want, errOut.String())
		}
	}
	if status != exitProvider || out.Len() != 0 || strings.Contains(errOut.String(), "test-token") {
		t.Errorf("status %d, stdout %q, stderr %q", status, out.String(), errOut.String())
	}
}
