//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// docFiles are the pages whose commands a user with a broken setup
// follows, a new resolver's page included: every openclaw-resolver-run
// command in them is run here, or marked as one that cannot be.
func docFiles(t *testing.T) []string {
	t.Helper()
	pages, err := filepath.Glob("../../../docs/resolvers/*.md")
	if err != nil || len(pages) == 0 {
		t.Fatalf("no resolver pages found: %v", err)
	}
	return append([]string{"../../../README.md"}, pages...)
}

// documentedHome is the home directory the docs show. Output is compared
// with the scenario's real home written so.
const documentedHome = "/home/me"

// TestDocumentedCommands runs every marked command of the docs in the
// scenario its marker names (a throwaway home with openclaw.json, the
// resolvers installed as the gateway requires them, and the fault the
// doc describes), as a person would type it into a shell, and checks its
// exit status, that the output the doc shows appears, and that no value,
// key or token does.
func TestDocumentedCommands(t *testing.T) {
	var blocks []docBlock
	for _, file := range docFiles(t) {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		bs, err := parseDocBlocks(filepath.Base(file), string(text))
		if err != nil {
			t.Fatal(err)
		}
		blocks = append(blocks, bs...)
	}
	used := map[string]bool{}
	for _, b := range blocks {
		if scenarios[b.scenario] == nil {
			t.Errorf("%s: no scenario %q: add one to scenarios", b, b.scenario)
		}
		used[b.scenario] = true
	}
	for name := range scenarios {
		if !used[name] {
			t.Errorf("scenario %q is used by no documented command", name)
		}
	}
	if t.Failed() {
		return
	}
	w := newDocWorld(t)
	for _, b := range blocks {
		t.Run(fmt.Sprintf("%s:%d:%s", b.file, b.line, b.scenario), func(t *testing.T) {
			sc := newScene(t)
			scenarios[b.scenario](t, w, sc)
			secrets := append(sc.secrets, w.sops.secrets...)
			output, code := sc.run(t, w, b.script)
			for _, secret := range secrets {
				q, _ := json.Marshal(secret)
				for _, form := range []string{secret, strings.Trim(string(q), `"`)} {
					if strings.Contains(output, form) {
						t.Errorf("%s: a secret of %d chars is in the output", b, len(secret))
						output = strings.ReplaceAll(output, form, "[SECRET]") // not into the test log either
					}
				}
			}
			shown := sc.documented(output)
			if code != b.exit {
				t.Errorf("%s: exit %d, the doc says %d\n%s", b, code, b.exit, shown)
			}
			if missing, ok := matchOutput(shown, b.expect); !ok {
				t.Errorf("%s: the doc shows %q, which the output does not have (in this order):\n%s", b, missing, shown)
			}
		})
	}
}

// scene is one scenario set up for one command: a home of its own, the
// gateway user's, documented as /home/me.
type scene struct {
	home    string
	env     []string // besides HOME and PATH, for the shell the command runs in
	secrets []string // besides the sops fixture's, never to be shown
	replace []string // pairs: real text, and how the docs write it
}

func newScene(t *testing.T) *scene {
	t.Helper()
	// Not under t.TempDir, whose name comes from the test's: a '#' in it
	// would start a comment in a .env file, and a hint quotes such a path.
	root, err := os.MkdirTemp("", "execref-doc-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	home := filepath.Join(root, "me")
	for _, dir := range []string{home, filepath.Join(home, ".openclaw")} {
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	return &scene{home: home, replace: []string{home, documentedHome}}
}

// documentedAs makes real text in the output read as the docs write it
// (an address, a port).
// An http:// address is also replaced where an error shows only its
// host and port.
func (sc *scene) documentedAs(real, doc string) {
	sc.replace = append(sc.replace, real, doc)
	if host, ok := strings.CutPrefix(real, "http://"); ok {
		sc.replace = append(sc.replace, host, strings.TrimPrefix(doc, "http://"))
	}
}

// documented is output as the docs would show it.
func (sc *scene) documented(output string) string {
	// Longest first, so that a path is replaced before a prefix of it.
	pairs := make([][2]string, 0, len(sc.replace)/2)
	for i := 0; i+1 < len(sc.replace); i += 2 {
		pairs = append(pairs, [2]string{sc.replace[i], sc.replace[i+1]})
	}
	sort.SliceStable(pairs, func(i, j int) bool { return len(pairs[i][0]) > len(pairs[j][0]) })
	for _, p := range pairs {
		output = strings.ReplaceAll(output, p[0], p[1])
	}
	return output
}

// run runs script with /bin/sh in the home directory, with only HOME,
// PATH (the runner, then the system's) and the scene's variables set,
// stdout and stderr interleaved as on a terminal.
func (sc *scene) run(t *testing.T, w *docWorld, script string) (string, int) {
	t.Helper()
	for i := 0; i+1 < len(sc.replace); i += 2 {
		script = strings.ReplaceAll(script, sc.replace[i+1], sc.replace[i])
	}
	cmd := exec.Command("/bin/sh", "-c", "set -u\n"+script)
	cmd.Dir = sc.home
	cmd.Env = append([]string{"HOME=" + sc.home, "PATH=" + filepath.Dir(w.runner) + ":/usr/bin:/bin"}, sc.env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return out.String(), exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return out.String(), 0
}

// write writes a text file under the home (path relative to it, parents
// made 0700), with the documented home replaced by the real one.
func (sc *scene) write(t *testing.T, rel, content string, mode os.FileMode) string {
	t.Helper()
	return sc.writeBytes(t, rel, []byte(strings.ReplaceAll(content, documentedHome, sc.home)), mode)
}

func (sc *scene) writeBytes(t *testing.T, rel string, data []byte, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(sc.home, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return path
}

// install copies a built resolver to ~/.openclaw/bin, as the docs'
// Install sections do: a 0755 copy of one's own, never a link.
func (sc *scene) install(t *testing.T, bin string) string {
	t.Helper()
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	return sc.writeBytes(t, filepath.Join(".openclaw", "bin", filepath.Base(bin)), data, 0o755)
}
