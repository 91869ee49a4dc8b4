package conformance_test

import (
	"context"
	"regexp"
	"slices"
	"testing"

	"github.com/execref/execref/conformance"
	"github.com/execref/execref/sdk/sdktest"
)

// referenceWith installs the reference resolver beside the fixture file
// name (it answers from its own copy), with extra arguments.
func referenceWith(t testing.TB, name string, args ...string) (string, *conformance.Fixture) {
	t.Helper()
	f, data := loadFixture(t, name)
	target := sdktest.Install(t, sdktest.Cached(t, "./testdata/resolver"), map[string][]byte{"fixture.json": data})
	f.Provider.Args = append(f.Provider.Args, args...)
	return target, f
}

// Bugs the real gateway breaks on that the suite used to miss: with a
// fixture that does not happen to trip them, each mutant passes every case
// but the one written for it. plain.json has no id with ':' or '#', as
// many fixtures do not; neither fixture has an id that is a prefix of
// another.
func TestNewCasesCloseGaps(t *testing.T) {
	for _, g := range []struct{ mutation, fixture, only string }{
		{"omit-values-when-all-fail", "reference.json", "CORE-010"},
		{"crash-on-underscore", "reference.json", "CORE-011"},
		{"crash-on-256", "reference.json", "CORE-011"},
		{"cut-at-hash", "plain.json", "CORE-012"},
		{"strip-prefix-colon", "plain.json", "CORE-012"},
		{"pinned-provider", "reference.json", "CORE-013"},
		{"prefix-match", "reference.json", "CORE-014"},
	} {
		t.Run(g.mutation, func(t *testing.T) {
			t.Parallel()
			target, f := referenceWith(t, g.fixture, "--mutate", g.mutation)
			var failed []string
			for _, res := range suite(t, target, f, "").Results {
				if res.Status == conformance.Fail {
					failed = append(failed, res.ID)
				}
			}
			if !slices.Equal(failed, []string{g.only}) {
				t.Errorf("failed %v, want only %s", failed, g.only)
			}
		})
	}
}

// The corpus's sh/prefix-match fails CORE-002 and CORE-003 only because
// its fixture holds tls/server.pem beside tls/server.pem#cert. Without
// that pair, as most fixtures are, CORE-014 alone still fails it, and
// the correct shell resolver passes.
func TestPrefixMatchWithoutAPair(t *testing.T) {
	command := tpInstall(t, tpShell, "/bin/sh")
	for bug, want := range map[string][]string{"prefix-match": {"CORE-014"}, "": nil} {
		f := tpFixture(t)
		delete(f.Values, "tls/server.pem")
		if bug != "" {
			f.Provider.Args = []string{"--bug", bug}
		}
		opts := conformance.Options{Command: command, Skip: regexp.MustCompile(`^INPUT-005$`)} // seconds per shell run
		report, err := conformance.Suite(context.Background(), f, opts)
		if err != nil {
			t.Fatal(err)
		}
		if failed := tpFailedCases(report); !slices.Equal(failed, want) {
			t.Errorf("sh %q: failed %v, want %v", bug, failed, want)
		}
	}
}
