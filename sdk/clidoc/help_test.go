package clidoc_test

import (
	"bytes"
	"flag"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/clidoc"
)

func TestHelp(t *testing.T) {
	var out bytes.Buffer
	if err := clidoc.Help(&out, demoDoc()); err != nil {
		t.Fatal(err)
	}
	help := out.String()
	for _, want := range []string{
		"clidoc-demo: a program to test clidoc — with a dash.\n\nUsage:\n",
		"  clidoc-demo [flags]\n      answer one request from stdin\n",
		"  clidoc-demo [flags] check\n      check the configuration\n",
		"  clidoc-demo completion bash|zsh|fish\n",
		"\n'and so would this; neither is here.\n",
		"  --timeout duration\n    \tanswer by this deadline: duration after start (default 4s)\n",
		"  --verbose \n    \tprint diagnostics on stderr (never values)\n",
		"\nExit status:\n  0   fine\n  64  usage\n\nValues never appear on stderr.\n",
	} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q:\n%s", want, help)
		}
	}
	for _, line := range strings.Split(help, "\n") {
		if strings.HasPrefix(line, "      ") && len(line) > 80 {
			t.Errorf("summary line over 80 columns: %q", line)
		}
	}
}

// PrintFlags prints what the flag package knows: the placeholder from
// the usage's backquotes, no value for a boolean, a default only when it
// says something.
func TestPrintFlags(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.Int("n", 0, "at most `count` at once")
	fs.Bool("json", false, "print JSON")
	fs.String("mode", "auto", "the `mode`")
	var out bytes.Buffer
	clidoc.PrintFlags(&out, fs)
	want := "  --json \n    \tprint JSON\n  --mode mode\n    \tthe mode (default auto)\n  --n count\n    \tat most count at once\n"
	if out.String() != want {
		t.Fatalf("got\n%q\nwant\n%q", out.String(), want)
	}
}
