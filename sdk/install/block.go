package install

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Block renders the secrets.providers entry for the copy at command, as
// JSON5 to paste inside the providers object. Strings are JSON-quoted, so
// the gateway's JSON5 parser reads back exactly what was written.
func Block(name, command string, s Spec) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(s.Note), "\n") {
		if line != "" {
			fmt.Fprintf(&b, "// %s\n", line)
		}
	}
	fmt.Fprintf(&b, "%s: {\n", quote(name))
	fmt.Fprintf(&b, "  source: \"exec\",\n")
	fmt.Fprintf(&b, "  command: %s,\n", quote(command))
	if len(s.Args) > 0 {
		fmt.Fprintf(&b, "  args: %s,\n", list(s.Args))
	}
	if len(s.PassEnv) > 0 {
		fmt.Fprintf(&b, "  passEnv: %s,\n", list(s.PassEnv))
	}
	// Pinning the directory makes the gateway refuse the command if the
	// path is ever pointed elsewhere.
	fmt.Fprintf(&b, "  trustedDirs: %s,\n", list([]string{dirOf(command)}))
	b.WriteString("},\n")
	return b.String()
}

// printBlock writes what the user reads: where to paste, the block, and
// how to upgrade.
func printBlock(w io.Writer, name, command, configPath string, s Spec) error {
	where := "openclaw.json"
	if configPath != "" {
		where = configPath
	}
	_, err := fmt.Fprintf(w, "// Paste under secrets.providers in %s:\n%s// Running `%s install` again after an upgrade replaces the copy.\n",
		where, Block(name, command, s), s.Program)
	return err
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func list(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
