package sdk

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/execref/execref/sdk/redact"
)

// maxConsoleBytes bounds what a resolver prints on stderr: the gateway
// counts stderr toward maxOutputBytes (1 MiB by default) and kills the
// process past it.
const maxConsoleBytes = 64 << 10

// console is the resolver's stderr. Lines are held until flush and redacted
// then, when every value of the batch is known: a backend that logs a value
// before it sets it must not leak it. Each line is prefixed with the program
// name and kept to one line.
type console struct {
	name    string
	w       io.Writer
	red     *redact.Redactor
	verbose bool

	mu      sync.Mutex
	lines   []string // raw, unredacted until flush
	size    int
	dropped int
}

// printf records one line that is always printed.
func (c *console) printf(format string, args ...any) {
	c.add(fmt.Sprintf(format, args...))
}

// debugf records one line printed only with --verbose.
func (c *console) debugf(format string, args ...any) {
	if c.verbose {
		c.add(fmt.Sprintf(format, args...))
	}
}

func (c *console) add(text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.size+len(text) > maxConsoleBytes {
		c.dropped++
		return
	}
	c.size += len(text)
	c.lines = append(c.lines, text)
}

// flush redacts and writes what was recorded. A line's newlines are
// escaped after redaction, so a multi-line secret is still matched whole.
func (c *console) flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	var b strings.Builder
	for _, l := range c.lines {
		b.WriteString(c.name + ": " + strings.ReplaceAll(c.red.String(l), "\n", `\n`) + "\n")
	}
	if c.dropped > 0 {
		fmt.Fprintf(&b, "%s: %d more lines dropped (stderr is capped at %d bytes)\n", c.name, c.dropped, maxConsoleBytes)
	}
	c.lines, c.size, c.dropped = nil, 0, 0
	_, _ = io.WriteString(c.w, b.String())
}
