package clidoc_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/execref/execref/sdk/clidoc"
	"github.com/execref/execref/sdk/clidoc/clidoctest"
)

func man(t *testing.T, d clidoc.Doc) []byte {
	t.Helper()
	var page bytes.Buffer
	if err := clidoc.Man(&page, d); err != nil {
		t.Fatal(err)
	}
	return page.Bytes()
}

// The page passes mandoc's and groff's checks, every warning level.
func TestManLints(t *testing.T) {
	clidoctest.LintMan(t, man(t, demoDoc()))
}

// Two pages of the same Doc are the same bytes, and the date is the
// Doc's, never the clock's.
func TestManIsReproducible(t *testing.T) {
	a, b := man(t, demoDoc()), man(t, demoDoc())
	if !bytes.Equal(a, b) {
		t.Fatal("two pages of one Doc differ")
	}
	if !bytes.Contains(a, []byte(`.TH "CLIDOC\-DEMO" 1 "2026-01-02" "execref v1.2.3" "User Commands"`)) {
		t.Fatalf("no .TH with the Doc's date:\n%s", a)
	}
}

// What roff would read as a request or an escape is escaped, and every
// line of text fits in 80 columns.
func TestManEscapes(t *testing.T) {
	page := string(man(t, demoDoc()))
	for _, want := range []string{
		`\fB\-\-timeout\fR \fIduration\fR`,
		`backslash \e and {"ids":["\[u2026]"]}.`,
		`\&.TH would be a request`,
		`\&'and so would this; neither is here.`,
		`clidoc\-demo \- a program to test clidoc \[u2014] with a dash`,
		`\fBopenclaw\-resolver\-run\fR(1), docs/protocol.md`,
		".SH COMMANDS\n.TP\n[flags] \\fBcheck\\fR\ncheck the configuration\n",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for i, line := range strings.Split(page, "\n") {
		if len(line) > 80 && !strings.HasPrefix(line, `.\"`) {
			t.Errorf("line %d is %d bytes: %q", i+1, len(line), line)
		}
		if (strings.HasPrefix(line, ".") || strings.HasPrefix(line, "'")) && !isRequest(line) {
			t.Errorf("line %d starts a request by accident: %q", i+1, line)
		}
	}
}

// isRequest tells the requests Man writes from text a line starts with.
func isRequest(line string) bool {
	name, _, _ := strings.Cut(strings.TrimPrefix(line, "."), " ")
	switch name {
	case `\"`, "TH", "nh", "ad", "SH", "TP", "PP", "IP", "RS", "RE", "B", "br":
		return true
	}
	return false
}

// Every flag, the commands' own included, is documented with its
// placeholder, usage and default; a boolean has no placeholder.
func TestManDocumentsEveryFlag(t *testing.T) {
	page := man(t, demoDoc())
	for _, name := range []string{"timeout", "file", "trusted-dir", "name", "verbose", "dest", "date"} {
		if !clidoctest.ManHasFlag(page, name) {
			t.Errorf("--%s is not in the page", name)
		}
	}
	for _, want := range []string{
		"\\fB\\-\\-verbose\\fR\nprint diagnostics",
		"after start (default 4s)\n",
		".SH \"EXIT STATUS\"\n.TP\n.B 0\nfine\n.TP\n.B 64\nusage\n",
		"copy the binary\n.IP\nThen print the block.\n.RS\n.TP\n\\fB\\-\\-dest\\fR \\fIDIR\\fR\n",
	} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("page lacks %q", want)
		}
	}
}
