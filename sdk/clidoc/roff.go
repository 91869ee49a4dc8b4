package clidoc

import (
	"fmt"
	"strings"
)

// manWidth is the longest input line a page has, as man-pages(7) and
// mandoc -Tlint ask; longer words get a line of their own.
const manWidth = 80

// escapeWords splits text into words, each escaped for roff: a backslash
// is \e, a minus \- (so that options are copied as they are typed), and
// any other character outside printable ASCII a \[uXXXX] escape (groff
// reads its input as Latin-1 unless told otherwise).
func escapeWords(text string) []string {
	words := strings.Fields(text)
	for i, word := range words {
		var b strings.Builder
		for _, r := range word {
			switch {
			case r == '\\':
				b.WriteString(`\e`)
			case r == '-':
				b.WriteString(`\-`)
			case r > 0x7e || r < 0x20:
				fmt.Fprintf(&b, `\[u%04X]`, r)
			default:
				b.WriteRune(r)
			}
		}
		words[i] = b.String()
	}
	return words
}

// fill puts escaped words on lines of at most manWidth bytes, joined by
// sep: a newline between lines of text, " \" + newline to continue the
// one input line a request such as a .TP tag reads. A line that would
// start with a control character, a period or an apostrophe, starts with
// \& instead, so that no text can become a request.
func fill(words []string, sep string) string {
	var lines []string
	line := ""
	for _, w := range words {
		switch {
		case line == "":
			line = w
		case len(line)+1+len(w) <= manWidth-len(sep):
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	for i, l := range lines {
		if strings.HasPrefix(l, ".") || strings.HasPrefix(l, "'") {
			lines[i] = `\&` + l
		}
	}
	return strings.Join(lines, sep)
}

// textSep separates the lines of text in fill mode; tagSep continues one
// input line.
const (
	textSep = "\n"
	tagSep  = " \\\n"
)

// roff is text as lines of a page's paragraph.
func roff(text string) string { return fill(escapeWords(text), textSep) }

// roffArg is text as one quoted argument of a request such as .TH.
func roffArg(text string) string {
	return `"` + strings.ReplaceAll(strings.Join(escapeWords(text), " "), `"`, `\(dq`) + `"`
}

// bold and italic set a word in a font and return to roman.
func bold(word string) string   { return `\fB` + strings.Join(escapeWords(word), " ") + `\fR` }
func italic(word string) string { return `\fI` + strings.Join(escapeWords(word), " ") + `\fR` }
