package main

import (
	"bytes"
	"strings"
	"testing"
)

// The runner redacts what doctor does: env values shaped like a token
// whatever their name, a URL's user name that is the credential, and the
// string leaves of a value that is not a string.
func TestRunnerRedactsTokenShapesURLUsersAndValueLeaves(t *testing.T) {
	const (
		shaped = "ghp_Sh4pedT0kenUnderAPlainNameXq8Wz2Lm"
		user   = "ghp_UrlUserT0kenQw3Er5Ty7Ui9Op1As2Df"
		leaf   = "Nk5-object-leaf-value-83vb"
	)
	t.Setenv("EXECREF_TEST_PLAIN", shaped)
	t.Setenv("EXECREF_TEST_REMOTE", "https://"+user+"@github.com/o/r.git")
	cmd := shellResolver(t, `read -r request
echo "plain is $EXECREF_TEST_PLAIN, remote is $EXECREF_TEST_REMOTE" >&2
echo "the object holds `+leaf+`" >&2
printf '{"protocolVersion":1,"values":{"a":{"user":"me","pass":"`+leaf+`"}}}'
`)
	var out, errOut bytes.Buffer
	status := run([]string{"--command", cmd, "--pass-env", "EXECREF_TEST_PLAIN", "--pass-env", "EXECREF_TEST_REMOTE", "a"}, &out, &errOut)
	all := out.String() + errOut.String()
	if !strings.Contains(errOut.String(), "[REDACTED]") {
		t.Fatalf("status %d, no redacted stderr shown: %q", status, all)
	}
	for _, v := range []string{shaped, user, leaf} {
		if strings.Contains(all, v) {
			t.Errorf("%.8s… appears in the runner's output:\n%s", v, all)
		}
	}
}
