package conformance

import (
	"bytes"
	"strings"
	"sync"
)

// maxLogLines bounds what a lineLog keeps: the latest lines, enough for
// any one case's batches; the count goes on.
const maxLogLines = 2000

// lineLog collects what a long-lived resolver process writes on stderr,
// line by line, numbered from the start, so that a case can take the
// lines written while it ran (since a mark) and wait for a line it
// expects. It is an io.Writer; partial lines wait for their newline.
type lineLog struct {
	mu      sync.Mutex
	partial []byte
	lines   []string // the latest lines; lines[0] is line number first
	first   int
	notify  chan struct{} // closed on every new line
	watch   func(line string)
}

func newLineLog(watch func(line string)) *lineLog {
	return &lineLog{notify: make(chan struct{}), watch: watch}
}

func (l *lineLog) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, b...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			return len(b), nil
		}
		l.add(string(l.partial[:i]))
		l.partial = l.partial[i+1:]
	}
}

// add keeps one line and wakes the waiters; l.mu is held.
func (l *lineLog) add(line string) {
	if l.watch != nil {
		l.watch(line)
	}
	l.lines = append(l.lines, line)
	if len(l.lines) > maxLogLines {
		drop := len(l.lines) - maxLogLines
		l.lines = append([]string(nil), l.lines[drop:]...)
		l.first += drop
	}
	close(l.notify)
	l.notify = make(chan struct{})
}

// mark is the number of the next line.
func (l *lineLog) mark() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.first + len(l.lines)
}

// since returns the lines from mark on (those still kept), newline-ended.
func (l *lineLog) since(mark int) []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	from := max(mark-l.first, 0)
	if from >= len(l.lines) {
		return nil
	}
	return []byte(strings.Join(l.lines[from:], "\n") + "\n")
}

// changed returns a channel closed at the next line.
func (l *lineLog) changed() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.notify
}

// tail is the last n lines, for an error that must say what the process
// said.
func (l *lineLog) tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	lines := l.lines[max(len(l.lines)-n, 0):]
	if len(l.partial) > 0 {
		lines = append(append([]string(nil), lines...), string(l.partial))
	}
	return strings.Join(lines, "\n")
}
