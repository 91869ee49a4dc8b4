package benchcompare

import (
	"bytes"
	"strings"
)

// A cappedBuffer keeps what is written up to limit bytes and notes that
// more came. It never fails a write, so that the writer is not blocked
// or killed by a broken pipe: the run fails afterwards instead.
type cappedBuffer struct {
	buf      bytes.Buffer
	limit    int
	overflow bool
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	room := c.limit - c.buf.Len()
	if len(p) > room {
		c.overflow = true
		c.buf.Write(p[:max(room, 0)])
		return len(p), nil
	}
	c.buf.Write(p)
	return len(p), nil
}

// A tailBuffer keeps the last max bytes written.
type tailBuffer struct {
	buf  []byte
	max  int
	lost bool
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	n := len(p)
	if len(p) >= t.max {
		t.lost = t.lost || len(t.buf) > 0 || len(p) > t.max
		t.buf = append(t.buf[:0], p[len(p)-t.max:]...)
		return n, nil
	}
	if over := len(t.buf) + len(p) - t.max; over > 0 {
		t.lost = true
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	t.buf = append(t.buf, p...)
	return n, nil
}

// String is the tail as text: valid UTF-8 (the cut may split a
// character), with "…" in front when the beginning was dropped.
func (t *tailBuffer) String() string {
	s := strings.ToValidUTF8(string(t.buf), "\uFFFD")
	if t.lost {
		return "…" + s
	}
	return s
}
