package clidoc

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Shells are the shells Completion writes for.
var Shells = []string{"bash", "zsh", "fish"}

// ErrShell is returned for a shell Completion does not know.
var ErrShell = errors.New("no completion for this shell")

// Completion writes the completion script of shell ("bash", "zsh" or
// "fish") for the program: its commands, its --flags and each command's,
// files or directories for a flag whose value is one (told by its
// placeholder: `file`, `dir`, ...), nothing after a flag whose value is
// something else, and no value after a boolean flag.
func Completion(w io.Writer, shell string, d Doc) error {
	switch shell {
	case "bash":
		return writeBash(w, d)
	case "zsh":
		return writeZsh(w, d)
	case "fish":
		return writeFish(w, d)
	}
	return fmt.Errorf("%w: %q (want %s)", ErrShell, shell, strings.Join(Shells, ", "))
}

// scope is what can follow on the line: the program's own flags and
// commands before a command, a command's flags and words after it.
type scope struct {
	command string // "" for the program itself
	flags   []flagInfo
	words   []word
	args    Kind
}

// word is a word to complete and what it means.
type word struct{ text, summary string }

// scopes lists the program's scope, then one per command.
func scopes(d Doc) []scope {
	root := scope{flags: flagsOf(d.Flags), args: d.Args}
	for _, c := range d.Commands {
		root.words = append(root.words, word{c.Name, c.Summary})
	}
	out := []scope{root}
	for _, c := range d.Commands {
		s := scope{command: c.Name, flags: flagsOf(c.Flags), args: c.Args}
		for _, w := range c.Words {
			s.words = append(s.words, word{text: w})
		}
		out = append(out, s)
	}
	return out
}

// valueFlags are the flags of s that take a value, for skipping it.
func (s scope) valueFlags() []flagInfo {
	var out []flagInfo
	for _, f := range s.flags {
		if f.takesValue {
			out = append(out, f)
		}
	}
	return out
}

// ident makes a shell function name of the program's name.
func ident(name string) string {
	return "_" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, name)
}

// shQuote quotes s for bash and zsh: in single quotes, each single quote
// inside closing the quotes, escaped, and reopening them.
func shQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// oneLine is a summary or a flag's usage as one line of plain text.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
