package clidoc_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/execref/execref/sdk/clidoc"
	"github.com/execref/execref/sdk/clidoc/clidoctest"
	"github.com/execref/execref/sdk/sdktest"
)

// shipped are the binaries the packages install, with their man pages and
// completions.
var shipped = []string{
	"../cmd/openclaw-resolver-run",
	"../../conformance/cmd/openclaw-resolver-conformance",
	"../../resolvers/sops/cmd/openclaw-sops-resolver",
	"../../resolvers/vault/cmd/openclaw-vault-resolver",
	"../../resolvers/aws/cmd/openclaw-aws-resolver",
	"../../resolvers/onepassword/cmd/openclaw-1password-resolver",
}

// Every shipped binary, built: its page passes mandoc and groff and
// documents every flag of its --help; its completion loads in each shell
// and completes its own commands' flags.
func TestShippedBinaries(t *testing.T) {
	for _, pkg := range shipped {
		name := filepath.Base(pkg)
		t.Run(name, func(t *testing.T) {
			bin := sdktest.Cached(t, pkg)
			output := func(args ...string) []byte {
				out, err := exec.Command(bin, args...).Output()
				if err != nil {
					t.Fatalf("%s %q: %v", name, args, err)
				}
				return out
			}
			page := output("man", "--date", "2026-01-02")
			clidoctest.LintMan(t, page)
			flags := clidoctest.FlagsOfHelp(string(output("--help")))
			if len(flags) == 0 {
				t.Fatal("--help lists no flag")
			}
			for _, flag := range flags {
				if !clidoctest.ManHasFlag(page, flag) {
					t.Errorf("--%s is not in the page", flag)
				}
			}
			for _, shell := range clidoc.Shells {
				t.Run(shell, func(t *testing.T) {
					script := output("completion", shell)
					clidoctest.Syntax(t, shell, script)
					if got := clidoctest.Complete(t, shell, script, name, name+" man --d", t.TempDir()); !slices.Equal(got, []string{"--date"}) {
						t.Errorf("%q: got %q", name+" man --d", got)
					}
				})
			}
		})
	}
}

// openclaw-sops-resolver at a prompt, in each shell: --ti<TAB> is
// --timeout, ch<TAB> is check, and --file takes a file.
func TestSopsResolverCompletes(t *testing.T) {
	bin := sdktest.Cached(t, "../../resolvers/sops/cmd/openclaw-sops-resolver")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "secrets.enc.yaml"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, shell := range clidoc.Shells {
		t.Run(shell, func(t *testing.T) {
			script, err := exec.Command(bin, "completion", shell).Output()
			if err != nil {
				t.Fatal(err)
			}
			for line, want := range map[string]string{
				"openclaw-sops-resolver --ti":                  "--timeout",
				"openclaw-sops-resolver ch":                    "check",
				"openclaw-sops-resolver --timeout 3s --file s": "secrets.enc.yaml",
			} {
				if got := clidoctest.Complete(t, shell, script, "openclaw-sops-resolver", line, dir); !slices.Equal(got, []string{want}) {
					t.Errorf("%q: got %q, want %q", line, got, want)
				}
			}
		})
	}
}
