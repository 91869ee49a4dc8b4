package benchcompare

import (
	"bytes"
	"errors"
	"fmt"
)

// ErrMarkers: ReplaceBetween did not find its two marker lines, once each
// and in order.
var ErrMarkers = errors.New("marker lines")

// ReplaceBetween replaces what lies between the line begin and the line
// end of doc with body, keeping both lines. A marker is a whole line (a
// trailing "\r" is ignored); each must appear exactly once, begin before
// end. A body that does not end in a newline gets one.
func ReplaceBetween(doc []byte, begin, end string, body []byte) ([]byte, error) {
	b, err := markerLine(doc, begin)
	if err != nil {
		return nil, err
	}
	e, err := markerLine(doc, end)
	if err != nil {
		return nil, err
	}
	if e.start <= b.start {
		return nil, fmt.Errorf("%w: %q does not come before %q", ErrMarkers, begin, end)
	}
	// begin ends in a newline: a line follows it.
	out := make([]byte, 0, len(doc)+len(body)+1)
	out = append(out, doc[:b.next]...)
	out = append(out, body...)
	if len(body) > 0 && body[len(body)-1] != '\n' {
		out = append(out, '\n')
	}
	out = append(out, doc[e.start:]...)
	return out, nil
}

// A lineSpan is where a line starts and where the next one does.
type lineSpan struct{ start, next int }

// markerLine finds the one line of doc equal to marker.
func markerLine(doc []byte, marker string) (lineSpan, error) {
	var found []lineSpan
	for start := 0; start < len(doc); {
		next := len(doc)
		if i := bytes.IndexByte(doc[start:], '\n'); i >= 0 {
			next = start + i + 1
		}
		line := bytes.TrimSuffix(bytes.TrimSuffix(doc[start:next], []byte("\n")), []byte("\r"))
		if string(line) == marker {
			found = append(found, lineSpan{start, next})
		}
		start = next
	}
	switch len(found) {
	case 0:
		return lineSpan{}, fmt.Errorf("%w: no line %q", ErrMarkers, marker)
	case 1:
		return found[0], nil
	}
	return lineSpan{}, fmt.Errorf("%w: %d lines %q, want one", ErrMarkers, len(found), marker)
}
