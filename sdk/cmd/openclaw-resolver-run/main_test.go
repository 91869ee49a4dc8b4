package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/sdktest"
)

// The CLI against the SDK's example resolver, installed as an operator
// would install it.
func TestResolveThroughExample(t *testing.T) {
	bin := sdktest.MustBuild(t, "../../examples/openclaw-jsonfile-resolver")
	secrets := filepath.Join(filepath.Dir(bin), "secrets.json")
	if err := os.WriteFile(secrets, []byte(`{"openai/apiKey":"sk-live-123456"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	base := []string{"--provider", "demo", "--command", bin, "--arg=--file", "--arg=secrets.json", "--trusted-dir", filepath.Dir(bin)}

	var out, errOut bytes.Buffer
	status := run(append(base, "openai/apiKey", "missing/key"), &out, &errOut)
	if status != exitIDFailed {
		t.Fatalf("status %d, stderr %q", status, errOut.String())
	}
	if strings.Contains(out.String(), "sk-live") || !strings.Contains(out.String(), "•••••• (14 chars)") {
		t.Fatalf("value not masked: %q", out.String())
	}
	// The resolver's code, then its message, each said once.
	if !regexp.MustCompile(`(?m)^missing/key +SECRET_REF_NOT_FOUND +NOT_FOUND: no "missing/key" in `).MatchString(out.String()) {
		t.Fatalf("NOT_FOUND not shown as the gateway shows it: %q", out.String())
	}

	out.Reset()
	if status := run(append(base, "--reveal", "--json", "openai/apiKey"), &out, &errOut); status != exitOK {
		t.Fatalf("status %d, stderr %q", status, errOut.String())
	}
	var got []jsonResult
	if err := json.Unmarshal(out.Bytes(), &got); err != nil || len(got) != 1 || got[0].Value != "sk-live-123456" {
		t.Fatalf("--reveal --json: %q, %v", out.String(), err)
	}

	// A world-writable secrets file is a configuration error of the resolver.
	if err := os.Chmod(secrets, 0o666); err != nil {
		t.Fatal(err)
	}
	errOut.Reset()
	if status := run(append(base, "openai/apiKey"), &out, &errOut); status != exitProvider ||
		!strings.Contains(errOut.String(), `Exec provider "demo" exited with code 78.`) ||
		!strings.Contains(errOut.String(), "\n  status: exit 78: configuration missing or invalid\n") ||
		!strings.Contains(errOut.String(), "\n  reason: configuration error: --file permissions are too open (0666; want 0600 or stricter): "+secrets+"\n") ||
		!strings.Contains(errOut.String(), "\n  hint:   chmod 0600 "+secrets+" (--file is 0666)\n") {
		t.Fatalf("status %d, stderr %q", status, errOut.String())
	}
}

func TestUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if status := run([]string{"--help"}, &out, &errOut); status != exitOK || !strings.Contains(out.String(), "--pass-env NAME") {
		t.Fatalf("--help: status %d, %q", status, out.String())
	}
	// A bad command line is one line on stderr and nothing on stdout: the
	// flag package's own report and the usage text are not printed.
	for _, args := range [][]string{{}, {"--command", "/x"}, {"--env", "NOEQUALS", "--command", "/x", "id"}, {"--bogus"}, {"--timeout-ms", "soon"}, {"--command"}} {
		out.Reset()
		errOut.Reset()
		if status := run(args, &out, &errOut); status != exitUsage || strings.Count(errOut.String(), "\n") != 1 || out.Len() != 0 {
			t.Errorf("%q: status %d stdout %q stderr %q, want one line on stderr", args, status, out.String(), errOut.String())
		}
	}
}

// The gateway refuses a command that is not an absolute path when it
// validates the config, "~/" included, so the runner does too, with the
// gateway's sentence.
func TestCommandMustBeAbsolute(t *testing.T) {
	for _, command := range []string{"~/x", "~", "relative/missing", "./r", " ~/x "} {
		var out, errOut bytes.Buffer
		status := run([]string{"--command", command, "id"}, &out, &errOut)
		want := "openclaw-resolver-run: secrets.providers.*.command must be an absolute path. [SECRET_PROVIDER_INVALID]\n" +
			"  status: not run: the command-path policy refused the command: path is not absolute\n" +
			"  hint:   write command as an absolute path: the gateway expands nothing, not even ~\n"
		if status != exitProvider || errOut.String() != want {
			t.Errorf("%q: status %d stderr %q, want %q", command, status, errOut.String(), want)
		}
	}
}
