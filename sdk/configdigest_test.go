package sdk

import (
	"context"
	"flag"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/agent"
)

// digestBackend has flags of its own, with defaults.
type digestBackend struct {
	backendFunc
	file, region string
}

func (d *digestBackend) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&d.file, "file", "secrets.json", "a `file`")
	fs.StringVar(&d.region, "region", "", "a `region`")
}

// digestOf is the digest parseArgs computes for args and environ.
func digestOf(t *testing.T, environ []string, args ...string) string {
	t.Helper()
	var o options
	fs := newFlagSet(Program{Name: "digest-test", Backend: &digestBackend{}}, &o)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return configDigest("digest-test", fs, environ)
}

// names are a digest's "KIND NAME" parts, in order.
func names(digest string) []string {
	var out []string
	for _, line := range strings.Split(digest, "\n") {
		f := strings.Fields(line)
		out = append(out, f[0]+" "+f[1])
	}
	return out
}

func TestConfigDigestLines(t *testing.T) {
	env := []string{"HOME=/home/u", "OPENCLAW_CLI=1", EnvAgent + "=/run/a.sock", "VAULT_ADDR=https://v:8200", "EMPTY="}
	d := digestOf(t, env, "--timeout", "1s", "--concurrency", "2", "--verbose", "--agent", "/x.sock", "--region", "eu")
	// Every backend flag, the defaults too; the shared flags never; every
	// variable but the gateway's marker and the agent's socket.
	want := []string{"env EMPTY", "env HOME", "env VAULT_ADDR", "flag --file", "flag --region", "program build"}
	if got := names(d); !slices.Equal(got, want) {
		t.Fatalf("digest lines %q, want %q", got, want)
	}
	line := regexp.MustCompile(`^(flag|env|program) \S+ [0-9a-f]{64}$`)
	for _, l := range strings.Split(d, "\n") {
		if !line.MatchString(l) {
			t.Errorf("line %q is not KIND NAME SHA256", l)
		}
	}
	for _, value := range []string{"/home/u", "https://v:8200", "eu", "secrets.json"} {
		if strings.Contains(d, value) {
			t.Errorf("the digest holds the value %q", value)
		}
	}
}

func TestConfigDigestChangesWithWhatABatchIsAnsweredFrom(t *testing.T) {
	base := digestOf(t, []string{"A=1", "C=3"})
	same := map[string]string{
		"shared flags":        digestOf(t, []string{"A=1", "C=3"}, "--timeout", "9s", "--concurrency", "1", "--verbose", "--agent", "/s"),
		"OPENCLAW_CLI":        digestOf(t, []string{"A=1", "OPENCLAW_CLI=1", "C=3"}),
		EnvAgent:              digestOf(t, []string{EnvAgent + "=/s", "A=1", "C=3"}),
		"a default, spelled":  digestOf(t, []string{"A=1", "C=3"}, "--file", "secrets.json"),
		"environment's order": digestOf(t, []string{"C=3", "A=1"}),
	}
	for what, d := range same {
		if d != base {
			t.Errorf("%s changed the digest", what)
		}
	}
	differ := map[string]string{
		"a flag's value":      digestOf(t, []string{"A=1", "C=3"}, "--file", "other.json"),
		"a variable's value":  digestOf(t, []string{"A=2", "C=3"}),
		"a variable added":    digestOf(t, []string{"A=1", "B=", "C=3"}),
		"a variable removed":  digestOf(t, []string{"C=3"}),
		"a value with an '='": digestOf(t, []string{"A=1=2", "C=3"}),
	}
	for what, d := range differ {
		if d == base {
			t.Errorf("%s left the digest unchanged", what)
		}
	}
	// Another program's digest differs even with the same lines.
	var o options
	fs := newFlagSet(Program{Name: "other", Backend: &digestBackend{}}, &o)
	if configDigest("other", fs, []string{"A=1", "C=3"}) == base {
		t.Error("two programs share a digest")
	}
	if !slices.Equal(names(base), []string{"env A", "env C", "flag --file", "flag --region", "program build"}) {
		t.Errorf("digest lines %q", names(base))
	}
}

// parseArgs gives every command the digest of its own flags and the
// process's environment, and the agent names what differs, never a hash
// or a value.
func TestConfigDigestOfTheCommandLineNamesWhatDiffers(t *testing.T) {
	t.Setenv("DIGEST_TEST_VAR", "value-one")
	p := Program{Name: "digest-test", Backend: &digestBackend{backendFunc: backendFunc{fn: func(context.Context, *Batch) error { return nil }}}}
	caller, _, err := parseArgs(p, []string{"--file", "a-file.json"})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("DIGEST_TEST_VAR", "value-two")
	running, _, err := parseArgs(p, []string{"--file", "b-file.json", "--timeout", "1s", "agent", "--socket", "/s"})
	if err != nil {
		t.Fatal(err)
	}
	why := agent.ConfigDiff(running.config, caller.config)
	if !strings.Contains(why, "differs in env DIGEST_TEST_VAR, flag --file") {
		t.Errorf("ConfigDiff says %q", why)
	}
	for _, leak := range []string{"value-one", "value-two", "a-file.json", "b-file.json"} {
		if strings.Contains(why, leak) {
			t.Errorf("ConfigDiff shows %q: %q", leak, why)
		}
	}
	if regexp.MustCompile(`[0-9a-f]{16}`).MatchString(why) {
		t.Errorf("ConfigDiff shows a hash: %q", why)
	}
}
