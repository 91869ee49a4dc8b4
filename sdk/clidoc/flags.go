package clidoc

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// flagInfo is what every writer needs of one flag.
type flagInfo struct {
	name        string
	placeholder string // from the usage's `backquoted` word, else the type ("" for a bool)
	usage       string
	def         string // the default worth showing, or ""
	takesValue  bool
	kind        Kind
}

// flagsOf lists a flag set's flags in lexical order; nil gives none.
func flagsOf(fs *flag.FlagSet) []flagInfo {
	if fs == nil {
		return nil
	}
	var out []flagInfo
	fs.VisitAll(func(f *flag.Flag) {
		placeholder, usage := flag.UnquoteUsage(f)
		fi := flagInfo{name: f.Name, placeholder: placeholder, usage: usage, takesValue: !isBool(f)}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			fi.def = f.DefValue
		}
		if fi.takesValue {
			fi.kind = kindOf(placeholder)
		}
		out = append(out, fi)
	})
	return out
}

// isBool tells a flag that takes no value (--verbose) from one that does,
// as the flag package does.
func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// kindOf reads what a value is from its placeholder, the word the usage
// puts in backquotes: "file", "PATH", "[ALIAS=]PATH" and "binary" are
// files, "dir" and "DIR" directories. That word is already what --help
// shows, so the completion needs no second description of each flag.
func kindOf(placeholder string) Kind {
	kind := Other
	for _, word := range strings.FieldsFunc(strings.ToLower(placeholder), func(r rune) bool { return !unicode.IsLetter(r) }) {
		switch word {
		case "dir", "directory":
			return Dir
		case "file", "path", "binary":
			kind = File
		}
	}
	return kind
}

// PrintFlags prints a flag set's flags the way every execref command
// shows them: --name, the value's placeholder, the usage and the default.
func PrintFlags(w io.Writer, fs *flag.FlagSet) {
	for _, f := range flagsOf(fs) {
		fmt.Fprintf(w, "  --%s %s\n    \t%s", f.name, f.placeholder, f.usage)
		if f.def != "" {
			fmt.Fprintf(w, " (default %s)", f.def)
		}
		fmt.Fprintln(w)
	}
}
