package agent

import (
	"context"
	"crypto/subtle"
	"fmt"
	"slices"
	"strings"
	"time"
)

// guard answers only the calls made with the agent's own configuration
// digest, so that no batch is ever answered from another configuration.
type guard struct {
	next   Handler
	config string
	logf   func(format string, args ...any)
}

func (g *guard) resolve(ctx context.Context, call Call) Reply {
	if subtle.ConstantTimeCompare([]byte(call.Config), []byte(g.config)) != 1 {
		why := ConfigDiff(g.config, call.Config)
		g.logf("refused a batch: %s", why)
		return Reply{Refused: why}
	}
	// Answer before the caller's deadline, not at it: an exec side stops
	// waiting then and resolves the whole batch again, slow ids and all,
	// where it would have resolved only the ids answered TIMEOUT.
	if d, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-replyMargin(time.Until(d))))
		defer cancel()
	}
	return g.next.Resolve(ctx, call.Request)
}

// replyMargin is the part of a call's time kept for sending the answer
// back: a tenth, at most 100 ms (a unix socket needs far less, a loaded
// machine more).
func replyMargin(left time.Duration) time.Duration {
	return min(left/10, 100*time.Millisecond)
}

// ConfigDiff says how the caller's configuration digest differs from the
// agent's. A digest is lines "KIND NAME HASH" (the SDK writes them): the
// answer names the lines that differ and never shows a hash. A digest of
// another form is only said to differ.
func ConfigDiff(agent, caller string) string {
	a, b := digestLines(agent), digestLines(caller)
	if a == nil || b == nil {
		return "the agent runs with another configuration than the caller's"
	}
	var differ, callerOnly, agentOnly []string
	for name, h := range b {
		switch ah, ok := a[name]; {
		case !ok:
			callerOnly = append(callerOnly, name)
		case ah != h:
			differ = append(differ, name)
		}
	}
	for name := range a {
		if _, ok := b[name]; !ok {
			agentOnly = append(agentOnly, name)
		}
	}
	var parts []string
	for _, p := range []struct {
		what  string
		names []string
	}{{"differs in", differ}, {"only the caller has", callerOnly}, {"only the agent has", agentOnly}} {
		if len(p.names) > 0 {
			slices.Sort(p.names)
			parts = append(parts, p.what+" "+strings.Join(p.names, ", "))
		}
	}
	return fmt.Sprintf("the agent runs with another configuration than the caller's (%s): start it with the provider's args and environment, as `openclaw-resolver-run agent PROVIDER` does", strings.Join(parts, "; "))
}

// digestLines maps "KIND NAME" to its hash, or nil when a line is not of
// that form: the hash must look like the SDK's (SHA-256 in hex), so that a
// digest of another form is never echoed, not even in part.
func digestLines(digest string) map[string]string {
	m := map[string]string{}
	if digest == "" {
		return m
	}
	for _, line := range strings.Split(digest, "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || !isSHA256Hex(f[2]) {
			return nil
		}
		m[f[0]+" "+f[1]] = f[2]
	}
	return m
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
