package doctor

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// LineProgress writes one line as each provider starts and one as it
// ends, for a person waiting at a terminal (on stderr, so that stdout
// holds only the report). It is safe for concurrent use.
type LineProgress struct {
	mu sync.Mutex
	w  io.Writer
}

// NewLineProgress writes progress lines to w.
func NewLineProgress(w io.Writer) *LineProgress { return &LineProgress{w: w} }

func (l *LineProgress) Started(provider string, refs int) {
	l.printf("… %s: checking and resolving %d %s\n", provider, refs, plural(refs, "id", "ids"))
}

func (l *LineProgress) Finished(provider string, ok, failed int, elapsed time.Duration) {
	l.printf("  %s: %d ok, %d failed (%s)\n", provider, ok, failed, elapsed.Round(time.Millisecond))
}

func (l *LineProgress) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, format, args...)
}
