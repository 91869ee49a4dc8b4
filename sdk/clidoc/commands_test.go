package clidoc_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/clidoc"
)

func runDoc(t *testing.T, command string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := clidoc.Run(demoDoc(), command, args, &out)
	return out.String(), err
}

func TestRunCompletion(t *testing.T) {
	for _, shell := range clidoc.Shells {
		out, err := runDoc(t, "completion", shell)
		if err != nil || out != string(script(t, shell, demoDoc())) {
			t.Errorf("completion %s: %v", shell, err)
		}
	}
	for _, args := range [][]string{nil, {"bash", "zsh"}, {"tcsh"}} {
		if out, err := runDoc(t, "completion", args...); !errors.Is(err, clidoc.ErrUsage) || out != "" {
			t.Errorf("completion %q: %v, %q", args, err, out)
		}
	}
	if out, err := runDoc(t, "completion", "--help"); err != nil || out != "usage: clidoc-demo completion bash|zsh|fish\n" {
		t.Errorf("completion --help: %v, %q", err, out)
	}
}

// The page's date is --date, else SOURCE_DATE_EPOCH's day, else none:
// never the clock's.
func TestRunManDate(t *testing.T) {
	th := func(out string) string {
		line, _, _ := strings.Cut(strings.SplitN(out, "\n", 3)[1], " \"execref")
		return line
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1767225600") // 2026-01-01T00:00:00Z
	if out, err := runDoc(t, "man"); err != nil || th(out) != `.TH "CLIDOC\-DEMO" 1 "2026-01-01"` {
		t.Errorf("SOURCE_DATE_EPOCH: %v, %q", err, th(out))
	}
	if out, err := runDoc(t, "man", "--date", "2025-12-24"); err != nil || th(out) != `.TH "CLIDOC\-DEMO" 1 "2025-12-24"` {
		t.Errorf("--date: %v, %q", err, th(out))
	}
	t.Setenv("SOURCE_DATE_EPOCH", "")
	if out, err := runDoc(t, "man"); err != nil || th(out) != `.TH "CLIDOC\-DEMO" 1 ""` {
		t.Errorf("no date: %v, %q", err, th(out))
	}
	for _, args := range [][]string{{"--date", "24.12.2025"}, {"--bogus"}, {"extra"}} {
		if out, err := runDoc(t, "man", args...); !errors.Is(err, clidoc.ErrUsage) || out != "" {
			t.Errorf("man %q: %v, %q", args, err, out)
		}
	}
	t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
	if _, err := runDoc(t, "man"); !errors.Is(err, clidoc.ErrUsage) || !errors.Is(err, clidoc.ErrDate) {
		t.Errorf("bad SOURCE_DATE_EPOCH: %v", err)
	}
}

func TestRunUnknown(t *testing.T) {
	if _, err := runDoc(t, "info"); !errors.Is(err, clidoc.ErrUsage) {
		t.Fatalf("got %v", err)
	}
}
