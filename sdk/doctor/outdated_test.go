//go:build unix

package doctor_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/execref/execref/sdk/doctor"
	"github.com/execref/execref/sdk/sdktest"
)

const (
	exampleResolver = "../examples/openclaw-jsonfile-resolver"
	exampleName     = "openclaw-jsonfile-resolver"
)

// stampedBuilds builds the example resolver once per ldflags, at once,
// each into a directory of its own: as releases are built, with the
// version stamped by -X (without -trimpath, so that Go records it).
func stampedBuilds(t *testing.T, ldflags ...string) []string {
	t.Helper()
	bins := make([]string, len(ldflags))
	errs := make([]error, len(ldflags))
	var wg sync.WaitGroup
	for i, flags := range ldflags {
		dir := filepath.Join(t.TempDir(), "build")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		bins[i] = filepath.Join(dir, exampleName)
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := exec.Command("go", "build", "-ldflags", flags, "-o", bins[i], exampleResolver).CombinedOutput()
			if err != nil {
				errs[i] = errors.New(err.Error() + "\n" + string(out))
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	return bins
}

const versionFlag = "-X github.com/execref/execref/sdk.Version="

// machine is a gateway user's home: its state directory, and the PATH
// doctor and install run with.
type machine struct {
	home, state string
	path        []string
}

func newMachine(t *testing.T) *machine {
	t.Helper()
	home := filepath.Join(t.TempDir(), "home")
	m := &machine{home: home, state: filepath.Join(home, ".openclaw"), path: []string{"/usr/bin", "/bin"}}
	if err := os.MkdirAll(m.state, 0o700); err != nil {
		t.Fatal(err)
	}
	return m
}

func (m *machine) env() []string {
	return []string{"HOME=" + m.home, "OPENCLAW_STATE_DIR=" + m.state, "PATH=" + strings.Join(m.path, ":"), "NO_COLOR=1"}
}

// sh runs a command line as the user would type it.
func (m *machine) sh(t *testing.T, line string) {
	t.Helper()
	cmd := exec.Command("/bin/sh", "-c", line)
	cmd.Env = m.env()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", line, err, out)
	}
}

// packageDir is a directory as a package manager fills it, on PATH
// before the system's.
func (m *machine) packageDir(t *testing.T, bin string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "usr", "bin")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, bin, filepath.Join(dir, exampleName), 0o755)
	m.path = append([]string{dir}, m.path...)
	return filepath.Join(dir, exampleName)
}

// doctor writes openclaw.json with one provider running command and runs
// the doctor binary on it, as JSON and as text; it returns the provider's
// packaged findings, the exit status and the text report.
func (m *machine) doctor(t *testing.T, runner, provider, command string) ([]doctor.Finding, int, string) {
	t.Helper()
	cfg, _ := json.Marshal(map[string]any{"secrets": map[string]any{"providers": map[string]any{
		provider: map[string]any{"source": "exec", "command": command},
	}}})
	if err := os.WriteFile(filepath.Join(m.state, "openclaw.json"), cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	var rep doctor.Report
	out, status := m.runDoctor(t, runner, "--json")
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("doctor --json: %v\n%s", err, out)
	}
	text, textStatus := m.runDoctor(t, runner)
	if textStatus != status {
		t.Errorf("doctor exits %d, with --json %d", textStatus, status)
	}
	if len(rep.Providers) != 1 || rep.Providers[0].Resolver == "" {
		t.Fatalf("providers %+v", rep.Providers)
	}
	var found []doctor.Finding
	for _, f := range rep.Providers[0].Findings {
		if f.Check == doctor.CheckPackaged {
			found = append(found, f)
		}
	}
	return found, status, text
}

func (m *machine) runDoctor(t *testing.T, runner string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(runner, append([]string{"doctor"}, args...)...)
	cmd.Env, cmd.Dir = m.env(), m.home
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return stdout.String(), exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	if stderr.Len() != 0 {
		t.Errorf("doctor wrote on stderr: %q", stderr.String())
	}
	return stdout.String(), 0
}

// fixCommand is the command a fix says to run.
var fixCommand = regexp.MustCompile("^run `([^`]+)` again")

// one is the single packaged finding, or fails.
func one(t *testing.T, fs []doctor.Finding) doctor.Finding {
	t.Helper()
	if len(fs) != 1 {
		t.Fatalf("packaged findings: %+v, want one", fs)
	}
	return fs[0]
}

// TestOutdatedCopy: `install` copies the binary a package put on PATH;
// after the package is upgraded, doctor warns that the copy the gateway
// runs is older, with the command that replaces it, and the warning does
// not fail doctor. Running that command makes the copy the packaged
// binary again. Another build of the same version is a warning too; a
// copy newer than the package is only noted.
func TestOutdatedCopy(t *testing.T) {
	runner := sdktest.Cached(t, "../cmd/openclaw-resolver-run")
	b := stampedBuilds(t, versionFlag+"v0.3.1", versionFlag+"v0.4.0", "-s -w "+versionFlag+"v0.4.0")
	old, current, rebuilt := b[0], b[1], b[2]

	t.Run("older", func(t *testing.T) {
		m := newMachine(t)
		m.sh(t, old+" install")
		copied := filepath.Join(m.state, "bin", exampleName)
		if fs, status, _ := m.doctor(t, runner, "jsonfile", copied); len(fs) != 0 || status != 0 {
			t.Fatalf("no package installed: status %d, findings %+v", status, fs)
		}

		pkg := m.packageDir(t, current)
		fs, status, text := m.doctor(t, runner, "jsonfile", copied)
		f := one(t, fs)
		wantDetail := "the copy is v0.3.1, the packaged " + pkg + " is v0.4.0: the gateway runs the old one until the copy is replaced"
		if f.Status != doctor.StatusWarn || f.Code != "OLDER_THAN_PACKAGED" || f.Detail != wantDetail {
			t.Errorf("finding %+v\nwant detail %q", f, wantDetail)
		}
		fix := fixCommand.FindStringSubmatch(f.Fix)
		if fix == nil || fix[1] != exampleName+" install" {
			t.Fatalf("fix %q, want `%s install`", f.Fix, exampleName)
		}
		if status != 0 {
			t.Errorf("doctor exited %d on a warning", status)
		}
		if !strings.Contains(text, "warn  packaged") || !strings.Contains(text, wantDetail) || !strings.Contains(text, "fix: "+f.Fix) {
			t.Errorf("text report:\n%s", text)
		}

		m.sh(t, fix[1])
		f = one(t, first(m.doctor(t, runner, "jsonfile", copied)))
		if f.Status != doctor.StatusOK || f.Detail != "the copy is the same build as the packaged "+pkg+" (v0.4.0)" {
			t.Errorf("after %s: %+v", fix[1], f)
		}
	})

	t.Run("same version, another build", func(t *testing.T) {
		m := newMachine(t)
		m.sh(t, rebuilt+" install")
		pkg := m.packageDir(t, current)
		f := one(t, first(m.doctor(t, runner, "jsonfile", filepath.Join(m.state, "bin", exampleName))))
		if f.Status != doctor.StatusWarn || f.Code != "DIFFERS_FROM_PACKAGED" ||
			f.Detail != "the copy and the packaged "+pkg+" are both v0.4.0 but not the same build" ||
			!strings.HasPrefix(f.Fix, "run `"+exampleName+" install` again") {
			t.Errorf("%+v", f)
		}
	})

	t.Run("newer copy", func(t *testing.T) {
		m := newMachine(t)
		m.sh(t, current+" install")
		pkg := m.packageDir(t, old)
		fs, status, text := m.doctor(t, runner, "jsonfile", filepath.Join(m.state, "bin", exampleName))
		f := one(t, fs)
		if f.Status != doctor.StatusOK || f.Fix != "" || f.Detail != "the copy is v0.4.0, newer than the packaged "+pkg+" (v0.3.1)" {
			t.Errorf("%+v", f)
		}
		if status != 0 || strings.Contains(text, "warn  packaged") {
			t.Errorf("status %d, text:\n%s", status, text)
		}
	})

	// Homebrew links its bin/ into the Cellar; the link is found and read
	// through. A link to the copy itself, earlier on PATH, is not taken for
	// the package, and makes the bare name run the copy: the fix names the
	// package by its path, with the --dir and --name the copy was
	// installed with.
	t.Run("homebrew link", func(t *testing.T) {
		m := newMachine(t)
		dir := filepath.Join(t.TempDir(), "resolvers")
		m.sh(t, old+" install --dir "+dir+" --name files")
		copied := filepath.Join(dir, exampleName)

		prefix := filepath.Join(t.TempDir(), "homebrew")
		cellar := filepath.Join(prefix, "Cellar", "execref", "0.4.0", "bin")
		brewBin := filepath.Join(prefix, "bin")
		localBin := filepath.Join(m.home, ".local", "bin")
		for _, d := range []string{cellar, brewBin, localBin} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		copyFile(t, current, filepath.Join(cellar, exampleName), 0o755)
		link := filepath.Join(brewBin, exampleName)
		if err := os.Symlink(filepath.Join("..", "Cellar", "execref", "0.4.0", "bin", exampleName), link); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(copied, filepath.Join(localBin, exampleName)); err != nil {
			t.Fatal(err)
		}
		m.path = append([]string{localBin, brewBin}, m.path...)

		f := one(t, first(m.doctor(t, runner, "files", copied)))
		if f.Status != doctor.StatusWarn || f.Code != "OLDER_THAN_PACKAGED" ||
			!strings.HasPrefix(f.Detail, "the copy is v0.3.1, the packaged "+link+" is v0.4.0:") {
			t.Errorf("%+v", f)
		}
		fix := fixCommand.FindStringSubmatch(f.Fix)
		if want := link + " install --dir " + dir + " --name files"; fix == nil || fix[1] != want {
			t.Fatalf("fix %q, want `%s`", f.Fix, want)
		}
		m.sh(t, fix[1])
		if f := one(t, first(m.doctor(t, runner, "files", copied))); f.Status != doctor.StatusOK {
			t.Errorf("after %s: %+v", fix[1], f)
		}
	})
}

func first[A, B, C any](a A, _ B, _ C) A { return a }
