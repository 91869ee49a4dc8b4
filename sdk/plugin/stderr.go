package plugin

import (
	"bytes"
	"fmt"
	"io"
	"sync"

	"github.com/execref/execref/sdk/plugin/handshake"
	"github.com/execref/execref/sdk/redact"
)

// maxStderrBytes bounds the stderr lines held between flushes.
const maxStderrBytes = 64 << 10

// stderrSink holds a resolver process's stderr lines and writes them to
// w at the end of each call, when the call's values are known, redacted
// with every value the process returned. go-plugin writes each line, then
// its newline, as separate writes.
type stderrSink struct {
	w   io.Writer
	red redact.Redactor

	mu      sync.Mutex
	partial []byte
	lines   [][]byte
	size    int
	dropped int
	// notServed: a line was the SDK's refusal of go-plugin.
	notServed bool
}

func newStderrSink(w io.Writer) *stderrSink { return &stderrSink{w: w} }

func (s *stderrSink) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.partial = append(s.partial, b...)
	for {
		i := bytes.IndexByte(s.partial, '\n')
		if i < 0 {
			break
		}
		s.line(s.partial[:i])
		s.partial = s.partial[i+1:]
	}
	if len(s.partial) > maxStderrBytes {
		s.line(s.partial)
		s.partial = nil
	}
	return len(b), nil
}

// line takes one line: noted if it is the SDK's refusal of go-plugin,
// kept for w if there is a w.
func (s *stderrSink) line(l []byte) {
	if bytes.HasSuffix(l, []byte(handshake.NotServed)) {
		s.notServed = true
	}
	if s.w != nil {
		s.keep(l)
	}
}

// sawNotServed tells whether the process said it does not serve go-plugin
// (handshake.NotServed, after its name): a resolver built without the
// execref_plugin tag, started through a wrapper CheckBuild cannot see
// through.
func (s *stderrSink) sawNotServed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notServed
}

func (s *stderrSink) keep(line []byte) {
	if s.size+len(line) > maxStderrBytes {
		s.dropped++
		return
	}
	s.size += len(line)
	s.lines = append(s.lines, append([]byte(nil), line...))
}

// redact adds values that must never reach w.
func (s *stderrSink) redact(secrets ...string) { s.red.Add(secrets...) }

// flush writes the complete lines held so far, redacted.
func (s *stderrSink) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w == nil || (len(s.lines) == 0 && s.dropped == 0) {
		return
	}
	var b bytes.Buffer
	for _, l := range s.lines {
		b.WriteString(s.red.String(string(l)))
		b.WriteByte('\n')
	}
	if s.dropped > 0 {
		fmt.Fprintf(&b, "(%d resolver stderr lines dropped: more than %d bytes between calls)\n", s.dropped, maxStderrBytes)
	}
	s.lines, s.size, s.dropped = nil, 0, 0
	_, _ = s.w.Write(b.Bytes())
}
