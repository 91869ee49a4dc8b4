package conformance

import (
	"bytes"
	"regexp"
	"strings"
)

var inputCases = []Case{
	{ID: "INPUT-001", Rationale: "malformed JSON is refused: non-zero exit, nothing on stdout, a reason on stderr, no crash", check: func(c *checker) {
		c.expectRefusal([]byte(`{"protocolVersion":1,"provider":`))
	}},
	{ID: "INPUT-002", Rationale: "empty stdin is refused without a crash", check: func(c *checker) {
		c.expectRefusal(nil)
	}},
	{ID: "INPUT-003", Rationale: "an unsupported protocolVersion is refused rather than guessed at", check: func(c *checker) {
		c.expectRefusal([]byte(`{"protocolVersion":2,"provider":"` + c.fixture.Name + `","ids":["a"]}`))
	}},
	{ID: "INPUT-004", Rationale: "members of the wrong type are refused without a crash", check: func(c *checker) {
		c.expectRefusal([]byte(`{"protocolVersion":1,"provider":"` + c.fixture.Name + `","ids":"a"}`))
		c.expectRefusal([]byte(`{"protocolVersion":"1","provider":"` + c.fixture.Name + `","ids":["a"]}`))
		c.expectRefusal([]byte(`{"protocolVersion":1,"provider":"` + c.fixture.Name + `","ids":[1]}`))
	}},
	{ID: "INPUT-005", Optional: true, Rationale: "a request far over the gateway's 256 KiB is refused without reading it all, hanging or crashing", check: func(c *checker) {
		huge := `{"protocolVersion":1,"provider":"` + c.fixture.Name + `","ids":["` + strings.Repeat("a", 4<<20) + `"]}`
		c.expectRefusal([]byte(huge))
	}},
}

// crashMarkers are what a crash leaves on stderr in common runtimes.
var crashMarkers = regexp.MustCompile(`(?m)^panic: |^goroutine \d+ \[|Traceback \(most recent call last\)|Segmentation fault|SIGSEGV|^fatal error: |Unhandled exception|at .+\(node:internal`)

// expectRefusal checks that the target refuses stdin as a whole: non-zero
// exit, not by a signal, nothing on stdout that a host could mistake for an
// answer, a reason on stderr, and no crash.
func (c *checker) expectRefusal(stdin []byte) {
	run, err := c.exec(stdin)
	switch {
	case run == nil:
		c.failf("did not run: %v", err)
		return
	case run.Signal != "":
		c.failBecause("ended by "+run.Signal+" instead of refusing the request", "%v (%s)", err, c.runFacts(run, err))
		return
	case run.ExitCode == 0:
		c.failBecause("exit status 0 for an unusable request", "exit status 0 for an unusable request; want non-zero (%s)", c.runFacts(run, err))
	}
	if out := bytes.TrimSpace(run.Stdout); len(out) > 0 {
		c.failf("stdout is not empty (%d bytes) although the request was refused; a host could take it for an answer", len(out))
	}
	if len(bytes.TrimSpace(run.Stderr)) == 0 {
		c.failf("stderr is empty; want a one-line reason")
	}
	if crashMarkers.Match(run.Stderr) {
		c.failBecause("crashed instead of refusing the request", "crashed instead of refusing the request (%s)", c.runFacts(run, err))
	}
}
