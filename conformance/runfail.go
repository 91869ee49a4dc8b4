package conformance

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/execref/execref/sdk/host"
)

// stderrShown bounds the excerpt of the target's stderr in a report.
const stderrShown = 300

// runFailed records a run the host failed: the host's sentence (the
// gateway's words) is the cause, and the exit status and an excerpt of
// stderr tell the reader why.
func (c *checker) runFailed(run *host.Run, err error) {
	c.record(*c.runFailure(run, err))
}

func (c *checker) runFailure(run *host.Run, err error) *failure {
	cause := c.red.String(err.Error())
	if run == nil {
		return &failure{cause: cause, text: cause}
	}
	return &failure{cause: cause, text: c.red.String(fmt.Sprintf("%s (%s)", cause, c.runFacts(run, err)))}
}

// runFacts is what a reader needs to debug a failed run: how it ended,
// after how long, and what it said on stderr (redacted, then bounded).
func (c *checker) runFacts(run *host.Run, err error) string {
	var facts []string
	switch {
	case errors.Is(err, host.ErrExit) && run.Signal == "":
		// The host's sentence already gives the status.
	case run.Signal != "":
		facts = append(facts, "ended by "+run.Signal)
	default:
		facts = append(facts, "exit status "+strconv.Itoa(run.ExitCode))
	}
	facts = append(facts, "after "+run.Duration.Round(time.Millisecond).String())
	return strings.Join(facts, ", ") + "; " + c.stderrExcerpt(run.Stderr)
}

// stderrExcerpt quotes the target's stderr, redacted first and then
// bounded, so that a cut can never leave part of a secret behind.
func (c *checker) stderrExcerpt(stderr []byte) string {
	if len(strings.TrimSpace(string(stderr))) == 0 {
		return "stderr empty"
	}
	return fmt.Sprintf("stderr: %q", clip(c.red.String(string(stderr)), stderrShown))
}

// messageExcerpt quotes a per-id message for a report, redacted and
// bounded; "" when there is none.
func (c *checker) messageExcerpt(msg string) string {
	if msg == "" {
		return ""
	}
	return fmt.Sprintf(" (message %q)", clip(c.red.String(msg), 120))
}
