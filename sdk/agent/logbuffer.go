package agent

import (
	"slices"
	"sync"
)

// LogBuffer collects what an agent's process writes on stderr (its log)
// while others read it: safe for concurrent use. The zero value is an
// empty, unbounded LogBuffer. Process keeps the end of each agent's log
// in one for its errors; tests and benchmarks read whole logs from one
// (sdktest.Buffer).
type LogBuffer struct {
	// Max, when above 0, bounds what is kept: the last Max bytes, for a
	// log that could grow for as long as the process runs.
	Max int

	mu  sync.Mutex
	buf []byte
}

func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.Max; b.Max > 0 && over > 0 {
		b.buf = slices.Delete(b.buf, 0, over)
	}
	return len(p), nil
}

// String is everything written so far (the last Max bytes of it).
func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
