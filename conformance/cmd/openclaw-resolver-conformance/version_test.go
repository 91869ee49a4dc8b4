package main

import (
	"bytes"
	"strings"
	"testing"
)

// --version answers without a fixture, on stdout, as every execref binary
// does (package checks and brew test rely on it).
func TestVersion(t *testing.T) {
	var out, errOut bytes.Buffer
	if st := run([]string{"--version"}, &out, &errOut); st != exitOK || errOut.Len() != 0 {
		t.Fatalf("--version: exit %d, stderr %q", st, errOut.String())
	}
	if !strings.HasPrefix(out.String(), "openclaw-resolver-conformance ") || !strings.Contains(out.String(), "(protocol 1,") {
		t.Errorf("--version printed %q", out.String())
	}
}
