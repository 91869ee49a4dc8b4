package host

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/execref/execref/sdk/lazyregexp"
	"github.com/execref/execref/sdk/redact"
)

// Bounds of what a diagnosis quotes from a resolver's stderr: its end,
// where a resolver says why it stopped. The gateway lets stderr grow to
// maxOutputBytes (up to 20 MiB); nobody reads that on a terminal.
const (
	StderrLines    = 40
	StderrBytes    = 8 << 10
	maxReasonBytes = 1 << 10
)

// Excerpt is the end of a resolver's stderr, redacted before it was cut
// (a cut must never leave part of a secret behind), each line made safe
// to print on a terminal.
type Excerpt struct {
	Lines []string
	// Omitted counts the lines before Lines that were left out.
	Omitted int
}

// StderrExcerpt returns the last lines of stderr, at most StderrLines
// lines and about StderrBytes bytes, with every secret red knows replaced.
// red may be nil.
func StderrExcerpt(stderr []byte, red *redact.Redactor) Excerpt {
	lines := stderrLines(stderr, red)
	var ex Excerpt
	size := 0
	for i := len(lines) - 1; i >= 0 && len(ex.Lines) < StderrLines; i-- {
		line := lines[i]
		if size+len(line) > StderrBytes {
			if len(ex.Lines) > 0 {
				break
			}
			line = "…" + tail(line, StderrBytes) // one huge line: keep its end
		}
		size += len(line)
		ex.Lines = append(ex.Lines, printable(line))
	}
	ex.Omitted = len(lines) - len(ex.Lines)
	for i, j := 0, len(ex.Lines)-1; i < j; i, j = i+1, j-1 {
		ex.Lines[i], ex.Lines[j] = ex.Lines[j], ex.Lines[i]
	}
	return ex
}

// droppedNote is the SDK's last line when it capped its own stderr.
var droppedNote = lazyregexp.New(`^\d+ more lines dropped \(stderr is capped`)

// Reason is a resolver's own reason for failing: the last line of its
// stderr. A resolver built on the SDK writes it as "NAME: reason", NAME
// being its program name; when NAME is the command's file name it is
// removed. Lines that continue a report (indented, such as a stack) and
// the SDK's note about dropped lines are skipped. The result is redacted,
// printable and at most about 1 KiB; "" when stderr has no such line.
func Reason(command string, stderr []byte, red *redact.Redactor) string {
	prefix := filepath.Base(command) + ": "
	lines := stderrLines(stderr, red)
	for i := len(lines) - 1; i >= 0; i-- {
		line := strings.TrimPrefix(lines[i], prefix)
		if strings.TrimSpace(line) == "" || line[0] == ' ' || line[0] == '\t' || droppedNote().MatchString(line) {
			continue
		}
		if len(line) > maxReasonBytes {
			line = head(line, maxReasonBytes) + "…"
		}
		return printable(line)
	}
	return ""
}

// stderrLines is stderr as text, redacted as a whole (a secret may span
// lines), split into lines without their line ends, trailing blank lines
// dropped.
func stderrLines(stderr []byte, red *redact.Redactor) []string {
	text := strings.ToValidUTF8(string(stderr), "\uFFFD")
	if red != nil {
		text = red.String(text)
	}
	text = strings.TrimRight(text, " \t\r\n")
	if text == "" {
		return nil
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// printable escapes control characters (terminal escape sequences
// included), so that a resolver's stderr cannot rewrite the terminal it is
// shown on.
func printable(s string) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			fmt.Fprintf(&b, `\x%02x`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool { return r != '\t' && unicode.IsControl(r) }

// head is at most n bytes of s's start, cut at a character boundary.
func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n]
}

// tail is at most n bytes of s's end, cut at a character boundary.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := len(s) - n
	for i < len(s) && !utf8Start(s[i]) {
		i++
	}
	return s[i:]
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
