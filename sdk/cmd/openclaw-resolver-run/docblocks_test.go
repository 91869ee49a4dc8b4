package main

import (
	"bufio"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// A documented command is marked in the markdown, unseen by a person
// reading it, by an HTML comment naming the scenario it runs in and the
// exit status it ends with:
//
//	<!-- doc-test: sops-key-too-open exit=1 -->
//	```sh
//	openclaw-resolver-run doctor
//	```
//	(prose)
//	```text
//	fail  self-check: key file SOPS_AGE_KEY_FILE  SOPS_AGE_KEY_FILE permissions are too open …
//	```
//
// The ```text block is the next fenced block after the command: lines of
// its output, in order, each matching a whole line of output once runs of
// blanks are collapsed, with … standing for any text within a line (a
// line of … alone only tells the reader that lines were left out).
//
// Where the text says which command prints an excerpt ("doctor says:"),
// the marker may carry the command and precede the ```text block alone:
//
//	<!-- doc-test: sops-wrong-key exit=1 $ openclaw-resolver-run doctor -->
//
// A command that cannot run here (real AWS, a pod) is marked
// <!-- not doc-tested: why --> instead, so that an unmarked command is a
// mistake the test reports.

// docBlock is one marked command and what its output must show.
type docBlock struct {
	file     string
	line     int // of the marker
	scenario string
	exit     int
	script   string
	expect   []string
}

func (b docBlock) String() string { return fmt.Sprintf("%s:%d (%s)", b.file, b.line, b.scenario) }

var (
	docTestMarker  = regexp.MustCompile(`^<!-- doc-test: ([a-z0-9-]+) exit=([0-9]+)(?: \$ (\S.*?))? -->$`)
	notTestedMark  = regexp.MustCompile(`^<!-- not doc-tested: \S.* -->$`)
	anyDocTestMark = regexp.MustCompile(`doc-test`)
)

// fence is one fenced block of a markdown file.
type fence struct {
	line  int // of the opening fence
	info  string
	body  []string
	after string // the last non-blank line before the fence, outside any block
}

// fences lists the fenced blocks of a markdown text.
func fences(text string) ([]fence, error) {
	var out []fence
	var cur *fence
	last, lastLine := "", 0
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && strings.HasPrefix(trimmed, "```"):
			cur = &fence{line: n, info: strings.TrimSpace(strings.TrimPrefix(trimmed, "```")), after: last}
		case cur != nil && trimmed == "```":
			out = append(out, *cur)
			cur, last = nil, ""
		case cur != nil:
			cur.body = append(cur.body, line)
		case trimmed != "":
			if anyDocTestMark.MatchString(last) {
				return nil, fmt.Errorf("line %d: %q is not directly followed by a fenced block", lastLine, last)
			}
			last, lastLine = trimmed, n
		}
	}
	if cur != nil {
		return nil, fmt.Errorf("line %d: fenced block never closed", cur.line)
	}
	if anyDocTestMark.MatchString(last) {
		return nil, fmt.Errorf("%q at the end is not followed by a fenced block", last)
	}
	return out, sc.Err()
}

// parseDocBlocks finds the marked commands of a markdown file. It fails
// on a marker not followed by a ```sh block and a ```text block, and on
// a command of openclaw-resolver-run that is neither marked nor said not
// to be tested.
func parseDocBlocks(file, text string) ([]docBlock, error) {
	fs, err := fences(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var blocks []docBlock
	var problems []string
	for i, f := range fs {
		m := docTestMarker.FindStringSubmatch(f.after)
		switch {
		case m == nil && anyDocTestMark.MatchString(f.after) && !notTestedMark.MatchString(f.after):
			problems = append(problems, fmt.Sprintf("%s:%d: malformed marker %q (want <!-- doc-test: NAME exit=N -->)", file, f.line, f.after))
			continue
		case m == nil:
			if f.info == "sh" && strings.Contains(strings.Join(f.body, "\n"), "openclaw-resolver-run") && !notTestedMark.MatchString(f.after) {
				problems = append(problems, fmt.Sprintf("%s:%d: a command of openclaw-resolver-run that no test runs: mark it <!-- doc-test: NAME exit=N -->, or <!-- not doc-tested: why -->", file, f.line))
			}
			continue
		}
		b := docBlock{file: file, line: f.line - 1, scenario: m[1], script: m[3]}
		b.exit, _ = strconv.Atoi(m[2])
		output := f
		if b.script == "" {
			if f.info != "sh" {
				problems = append(problems, fmt.Sprintf("%s:%d: a doc-test marker without a command must precede a ```sh block, not ```%s", file, f.line, f.info))
				continue
			}
			b.script = strings.Join(f.body, "\n")
			if i+1 == len(fs) || fs[i+1].info != "text" || anyDocTestMark.MatchString(fs[i+1].after) {
				problems = append(problems, fmt.Sprintf("%s:%d: the command has no ```text block of expected output after it", file, f.line))
				continue
			}
			output = fs[i+1]
		} else if f.info != "text" {
			problems = append(problems, fmt.Sprintf("%s:%d: a doc-test marker with a command must precede a ```text block, not ```%s", file, f.line, f.info))
			continue
		}
		for _, l := range output.body {
			if l = collapse(l); l != "" && l != "…" {
				b.expect = append(b.expect, l)
			}
		}
		if len(b.expect) == 0 || strings.TrimSpace(b.script) == "" {
			problems = append(problems, fmt.Sprintf("%s:%d: an empty command or expected output", file, f.line))
			continue
		}
		blocks = append(blocks, b)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return blocks, nil
}

// collapse trims a line and turns runs of blanks into one space: column
// alignment depends on the other lines shown, which a doc may leave out.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// matchOutput checks that every expected line matches a whole line of
// output, in order. It returns the first expected line that does not.
func matchOutput(output string, expect []string) (missing string, ok bool) {
	var lines []string
	for _, l := range strings.Split(output, "\n") {
		lines = append(lines, collapse(l))
	}
	at := 0
	for _, e := range expect {
		re := lineRegexp(e)
		found := false
		for ; at < len(lines); at++ {
			if re.MatchString(lines[at]) {
				found = true
				at++
				break
			}
		}
		if !found {
			return e, false
		}
	}
	return "", true
}

// lineRegexp matches a whole line equal to e, … standing for any text.
func lineRegexp(e string) *regexp.Regexp {
	parts := strings.Split(e, "…")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile("^" + strings.Join(parts, ".*") + "$")
}

// The parser finds marked commands and their expected output, and
// refuses what would let a documented command go unrun.
func TestParseDocBlocks(t *testing.T) {
	good := "# T\n\n<!-- doc-test: a-b exit=2 -->\n```sh\nopenclaw-resolver-run doctor\n```\n\nprints\n\n```text\n  fail   x    y\n\n…z\n```\n\n" +
		"<!-- not doc-tested: needs a pod -->\n```sh\nopenclaw-resolver-run --config\n```\n\n```sh\nmake build\n```\n" +
		"<!-- doc-test: c exit=0 $ openclaw-resolver-run  doctor --json -->\n```text\n…\n{\n```\n"
	blocks, err := parseDocBlocks("good.md", good)
	if err != nil || len(blocks) != 2 {
		t.Fatalf("%v %+v", err, blocks)
	}
	b := blocks[0]
	if b.scenario != "a-b" || b.exit != 2 || b.line != 3 || b.script != "openclaw-resolver-run doctor" ||
		strings.Join(b.expect, "|") != "fail x y|…z" {
		t.Errorf("%+v", b)
	}
	if b := blocks[1]; b.scenario != "c" || b.exit != 0 || b.script != "openclaw-resolver-run  doctor --json" || strings.Join(b.expect, "|") != "{" {
		t.Errorf("%+v", b)
	}
	for name, bad := range map[string]string{
		"unmarked":       "```sh\nopenclaw-resolver-run doctor\n```\n",
		"no output":      "<!-- doc-test: a exit=0 -->\n```sh\nopenclaw-resolver-run doctor\n```\n",
		"output is sh":   "<!-- doc-test: a exit=0 -->\n```sh\nx\n```\n```sh\ny\n```\n",
		"not sh":         "<!-- doc-test: a exit=0 -->\n```text\nx\n```\n```text\ny\n```\n",
		"not text":       "<!-- doc-test: a exit=0 $ x -->\n```sh\nx\n```\n```text\ny\n```\n",
		"only …":         "<!-- doc-test: a exit=0 $ x -->\n```text\n…\n```\n",
		"no exit":        "<!-- doc-test: a -->\n```sh\nx\n```\n```text\ny\n```\n",
		"output taken":   "<!-- doc-test: a exit=0 -->\n```sh\nx\n```\n<!-- doc-test: b exit=0 -->\n```text\ny\n```\n",
		"empty output":   "<!-- doc-test: a exit=0 -->\n```sh\nx\n```\n```text\n\n```\n",
		"unclosed fence": "<!-- doc-test: a exit=0 -->\n```sh\nx\n",
		"marker astray":  "<!-- doc-test: a exit=0 -->\nprose\n```sh\nx\n```\n```text\ny\n```\n",
		"marker at end":  "text\n<!-- doc-test: a exit=0 -->\n",
	} {
		if _, err := parseDocBlocks(name, bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// Expected lines match whole lines, in order, blanks collapsed, …
// standing for any text.
func TestMatchOutput(t *testing.T) {
	out := "first  line\n  fail  check   detail with (parens) [x]\n  fix: chmod 0600 /a/b\nlast\n"
	for _, c := range []struct {
		expect []string
		ok     bool
	}{
		{[]string{"fail check detail with (parens) [x]", "fix: chmod 0600 /a/b"}, true},
		{[]string{"fail check …", "last"}, true},
		{[]string{"…(parens)…"}, true},
		{[]string{"fail check detail"}, false},              // a part of a line is not the line
		{[]string{"last", "first line"}, false},             // order
		{[]string{"fix: chmod 0600 /a/b", "fix: …"}, false}, // each output line once
		{[]string{"fail check detail with (parens) [y]"}, false},
	} {
		if _, ok := matchOutput(out, c.expect); ok != c.ok {
			t.Errorf("%q: matched %v, want %v", c.expect, ok, c.ok)
		}
	}
}
