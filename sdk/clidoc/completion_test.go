package clidoc_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/clidoc"
	"github.com/execref/execref/sdk/clidoc/clidoctest"
)

func script(t *testing.T, shell string, d clidoc.Doc) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := clidoc.Completion(&out, shell, d); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// completionCases are lines typed at a prompt, the cursor at the end, in
// a directory holding afile.txt and adir/, and what each shell must offer.
var completionCases = []struct {
	line string
	want []string
}{
	{"clidoc-demo --ti", []string{"--timeout"}},
	{"clidoc-demo --t", []string{"--timeout", "--trusted-dir"}},
	{"clidoc-demo ch", []string{"check"}},
	{"clidoc-demo c", []string{"check", "completion"}},
	{"clidoc-demo --timeout 3s ch", []string{"check"}}, // a flag's value is not the command
	{"clidoc-demo --verbose ch", []string{"check"}},    // a boolean takes no value
	{"clidoc-demo --name install --", []string{"--file", "--name", "--timeout", "--trusted-dir", "--verbose"}},
	{"clidoc-demo --timeout=3s in", []string{"install"}}, // nor is --flag=value
	{"clidoc-demo --file a", []string{"adir", "afile.txt"}},
	{"clidoc-demo --file=a", []string{"adir", "afile.txt"}},
	{"clidoc-demo --trusted-dir a", []string{"adir"}},
	{"clidoc-demo --name ", nil},
	{"clidoc-demo --timeout ", nil},
	{"clidoc-demo install --", []string{"--dest"}}, // the command's flags, not the program's
	{"clidoc-demo install --dest a", []string{"adir"}},
	{"clidoc-demo completion ", []string{"bash", "fish", "zsh"}},
	{"clidoc-demo man --d", []string{"--date"}},
}

// Each shell completes every case as a person at a prompt would see it.
func TestCompletion(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "afile.txt"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "adir"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, shell := range clidoc.Shells {
		t.Run(shell, func(t *testing.T) {
			s := script(t, shell, demoDoc())
			clidoctest.Syntax(t, shell, s)
			for _, tc := range completionCases {
				got := normalize(clidoctest.Complete(t, shell, s, "clidoc-demo", tc.line, dir))
				if !slices.Equal(got, tc.want) {
					t.Errorf("%q: got %q, want %q", tc.line, got, tc.want)
				}
			}
		})
	}
}

// normalize makes the shells' answers comparable: fish repeats
// "--flag=" before a value and marks directories with a slash; zsh may
// add a match twice.
func normalize(words []string) []string {
	var out []string
	for _, w := range words {
		if i := strings.Index(w, "="); i > 0 && strings.HasPrefix(w, "-") {
			w = w[i+1:]
		}
		out = append(out, strings.TrimSuffix(w, "/"))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// The scripts are reproducible and name the program as it is typed.
func TestCompletionScripts(t *testing.T) {
	for _, shell := range clidoc.Shells {
		a, b := script(t, shell, demoDoc()), script(t, shell, demoDoc())
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two scripts of one Doc differ", shell)
		}
	}
	for shell, want := range map[string]string{
		"bash": "\ncomplete -F _clidoc_demo 'clidoc-demo'\n",
		"zsh":  "#compdef clidoc-demo\n",
		"fish": "\ncomplete -c 'clidoc-demo' -f\n",
	} {
		if s := script(t, shell, demoDoc()); !bytes.Contains(s, []byte(want)) {
			t.Errorf("%s: no %q in\n%s", shell, want, s)
		}
	}
}

func TestCompletionUnknownShell(t *testing.T) {
	err := clidoc.Completion(new(bytes.Buffer), "tcsh", demoDoc())
	if !errors.Is(err, clidoc.ErrShell) || !strings.Contains(err.Error(), `"tcsh"`) {
		t.Fatalf("got %v", err)
	}
}

// A file name is offered as it is, never expanded as a pattern: with the
// files "[ab]" and "a", bash would otherwise offer "a" for "[".
func TestBashFileNamesAreNotGlobbed(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"[ab]", "a"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s := script(t, "bash", demoDoc())
	got := clidoctest.Complete(t, "bash", s, "clidoc-demo", "clidoc-demo --file [", dir)
	if !slices.Equal(got, []string{"[ab]"}) {
		t.Errorf("--file [: got %q, want [\"[ab]\"]", got)
	}
}
