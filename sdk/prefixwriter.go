package sdk

import (
	"bytes"
	"io"
	"sync"
)

// prefixWriter prefixes every line written to it, so that a library's log
// lines (go-plugin's) read like the resolver's own. Each Write is expected
// to hold whole lines, as a logger writes them.
type prefixWriter struct {
	prefix string
	w      io.Writer
	mu     sync.Mutex
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out bytes.Buffer
	for _, line := range bytes.SplitAfter(b, []byte("\n")) {
		if len(line) > 0 {
			out.WriteString(p.prefix)
			out.Write(line)
		}
	}
	if _, err := p.w.Write(out.Bytes()); err != nil {
		return 0, err
	}
	return len(b), nil
}
