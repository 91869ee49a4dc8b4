package goenv

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

func TestWithoutDropsEveryEntryOfTheNames(t *testing.T) {
	env := []string{"GOWORK=/x/go.work", "PATH=/bin", "GOFLAGS=-mod=mod", "GOWORK=again", "GOWORKX=kept", "odd"}
	got := Without(env, "GOWORK", "GOFLAGS")
	if want := []string{"PATH=/bin", "GOWORKX=kept", "odd"}; !slices.Equal(got, want) {
		t.Errorf("Without = %q, want %q", got, want)
	}
	if env[0] != "GOWORK=/x/go.work" || len(env) != 6 {
		t.Errorf("env was modified: %q", env)
	}
}

func TestWithReplacesInheritedValues(t *testing.T) {
	env := []string{"GOWORK=/x/go.work", "PATH=/bin", "GOFLAGS=-mod=mod"}
	got := With(env, "GOWORK=off", "GOFLAGS=", "GOOS=linux")
	if want := []string{"PATH=/bin", "GOWORK=off", "GOFLAGS=", "GOOS=linux"}; !slices.Equal(got, want) {
		t.Errorf("With = %q, want %q", got, want)
	}
}

// What the tools rely on: the go command sees the values set, not the
// inherited ones.
func TestGoSeesTheValuesSet(t *testing.T) {
	t.Setenv("GOWORK", "/nonexistent/go.work")
	t.Setenv("GOFLAGS", "-mod=vendor")
	t.Setenv("GOARCH", "bogus")
	cmd := exec.Command("go", "env", "GOWORK", "GOFLAGS", "GOARCH")
	cmd.Env = With(Without(cmd.Environ(), "GOARCH"), "GOWORK=off", "GOFLAGS=-modcacherw")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go env: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 3 || lines[0] != "off" || lines[1] != "-modcacherw" || lines[2] == "bogus" || lines[2] == "" {
		t.Errorf("go env GOWORK GOFLAGS GOARCH printed %q; want off, -modcacherw and the host's GOARCH", lines)
	}
}
