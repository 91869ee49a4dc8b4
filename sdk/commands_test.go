package sdk

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"testing"
)

// commandBackend has a flag and commands: one that echoes its arguments
// and the flag, one that fails as usage, one that panics, and one named
// like a built-in, which must never run.
type commandBackend struct {
	backendFunc
	prefix string
}

func (c *commandBackend) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.prefix, "prefix", "", "")
}

func (c *commandBackend) Commands() map[string]Command {
	return map[string]Command{
		"echo": {Args: "WORD...", Summary: "print the words", Run: func(args []string, stdout io.Writer) error {
			_, err := fmt.Fprintln(stdout, c.prefix+strings.Join(args, " "))
			return err
		}},
		"needs-one": {Args: "WORD", Summary: "exactly one word", Run: func(args []string, _ io.Writer) error {
			return fmt.Errorf("%w: needs-one takes one word, got %d", ErrUsage, len(args))
		}},
		"bad-config": {Summary: "fails as configuration", Run: func([]string, io.Writer) error {
			return fmt.Errorf("%w: secret-ish-value-1234 is wrong", ErrConfig)
		}},
		"boom": {Summary: "panics", Run: func([]string, io.Writer) error { panic(errors.New("boom")) }},
		"check": {Summary: "shadowed", Run: func([]string, io.Writer) error {
			panic("a built-in's name reached the backend's command")
		}},
	}
}

func newCommandBackend() *commandBackend {
	c := &commandBackend{}
	c.fn = func(context.Context, *Batch) error { return nil }
	return c
}

func TestCommandRunsWithFlagsAndArgs(t *testing.T) {
	o := serve(t, newCommandBackend(), "", "--prefix", "> ", "echo", "a", "--not-a-flag", "b")
	if o.status != ExitOK || o.stdout != "> a --not-a-flag b\n" || o.stderr != "" {
		t.Fatalf("status %d, stdout %q, stderr %q", o.status, o.stdout, o.stderr)
	}
}

func TestCommandErrorsChooseTheStatus(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		status int
		stderr string
	}{
		{[]string{"needs-one"}, ExitUsage, "needs-one takes one word, got 0"},
		{[]string{"bad-config"}, ExitConfig, "is wrong"},
		{[]string{"boom"}, ExitInternal, "panic"},
		{[]string{"nope"}, ExitUsage, `unknown command "nope"`},
	} {
		o := serve(t, newCommandBackend(), "", tc.args...)
		if o.status != tc.status || !strings.Contains(o.stderr, tc.stderr) || o.stdout != "" {
			t.Errorf("%v: status %d, stdout %q, stderr %q; want %d and %q", tc.args, o.status, o.stdout, o.stderr, tc.status, tc.stderr)
		}
		if strings.Count(o.stderr, "\n") != 1 {
			t.Errorf("%v: stderr is not one line: %q", tc.args, o.stderr)
		}
	}
}

// A built-in command wins over a backend's command of the same name.
func TestBuiltinsShadowCommands(t *testing.T) {
	o := serve(t, newCommandBackend(), "", "check")
	if o.status != ExitOK || !strings.Contains(o.stderr, "no self-check") {
		t.Fatalf("status %d, stdout %q, stderr %q", o.status, o.stdout, o.stderr)
	}
}

func TestHelpListsCommands(t *testing.T) {
	o := serve(t, newCommandBackend(), "", "--help")
	for _, want := range []string{"test-resolver [flags] echo WORD...", "print the words", "test-resolver [flags] needs-one WORD"} {
		if !strings.Contains(o.stdout, want) {
			t.Errorf("--help does not list %q:\n%s", want, o.stdout)
		}
	}
	if strings.Contains(o.stdout, "shadowed") {
		t.Errorf("--help lists a command a built-in shadows:\n%s", o.stdout)
	}
}
