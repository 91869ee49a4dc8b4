package onepassword

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/lazyregexp"
)

// opError is a failed op call, classified from its exit status and stderr.
// op writes its errors as "[ERROR] 2024/01/01 00:00:00 <message>" and
// exits 1 for nearly all of them, so the message decides the code.
type opError struct {
	code    protocol.Code
	msg     string // op's message without its prefix, or what went wrong running it
	network bool   // op could not reach 1Password at all
	again   bool   // the run itself went wrong, not op's answer: worth one more try
}

func (e *opError) Error() string { return e.msg }
func (e *opError) Unwrap() error { return e.code }

// opPatterns classify op's messages, first match wins. The order matters:
// "authenticating with the server: … dial tcp …" is a network failure, not
// a refused token, and "More than one item matches" is not a missing one.
var opPatterns = []struct {
	code    protocol.Code
	network bool
	re      func() *regexp.Regexp
}{
	// op tried the desktop app or a person: it has no usable credentials.
	{protocol.Unauthenticated, false, lazyregexp.New(`(?i)1password app|desktop app|biometric|authorization timeout|not currently signed in|not signed in|no account found|sign in`)},
	{protocol.Unavailable, true, lazyregexp.New(`(?i)dial tcp|no such host|connection refused|connection reset|network is unreachable|i/o timeout|tls handshake|error sending request|\((?:500|502|503|504)\)|service unavailable|bad gateway|gateway timeout`)},
	{protocol.RateLimited, false, lazyregexp.New(`(?i)\(429\)|too many requests|rate limit`)},
	{protocol.AmbiguousDuplicateKey, false, lazyregexp.New(`(?i)more than one .{1,40} match`)},
	{protocol.Unauthenticated, false, lazyregexp.New(`(?i)\(401\)|unauthori[sz]ed|decodesacredentials|service account token|invalid token|token is invalid|session expired|invalid session`)},
	{protocol.PermissionDenied, false, lazyregexp.New(`(?i)\(403\)|forbidden|permission`)},
	{protocol.NotFound, false, lazyregexp.New(`(?i)isn't an? (?:item|vault|field|section|file)|no (?:item|vault|section|field) matched|cannot be found|does not have a (?:field|section|file)|could not find|not found|doesn't exist|does not exist|\(404\)`)},
	{protocol.InvalidID, false, lazyregexp.New(`(?i)invalid (?:secret )?reference|invalid character|too many '/'|secret references? should`)},
}

// opErrorLine is op's "[ERROR] date time " prefix.
var opErrorLine = lazyregexp.New(`^\[ERROR\] \d{4}/\d\d/\d\d \d\d:\d\d:\d\d `)

// opQuoted are the names and references op quotes in its messages. They are
// left out of the classification: an item called "Rate limit key" that is
// not found is not a rate limit.
var opQuoted = lazyregexp.New(`"[^"]*"|'[^']*'`)

// classifyOp turns a failed op call into an opError: the code from the
// message, else UNAVAILABLE with the message and exit status.
func classifyOp(what string, exit int, stderr []byte) *opError {
	msg, head := opMessage(stderr)
	skeleton := opQuoted().ReplaceAllString(head, `""`)
	for _, p := range opPatterns {
		if p.re().MatchString(skeleton) {
			return &opError{code: p.code, network: p.network, msg: fmt.Sprintf("%s: %s", what, msg)}
		}
	}
	if msg == "" {
		msg = "no message on stderr"
	}
	return &opError{code: protocol.Unavailable, msg: fmt.Sprintf("%s failed with exit status %d: %s", what, exit, msg)}
}

// opMessage is what op's stderr says failed: the last [ERROR] line with
// the lines that continue it (op lists the matches of an ambiguous name
// there), else the last non-empty line (op may print notices, such as an
// available update); without the date and the "could not read secret
// 'op://…': " that repeats the reference; on one line, at most 400 bytes.
// head is its first line alone, which is what is classified: the lines
// that continue it hold names, unquoted.
func opMessage(stderr []byte) (msg, head string) {
	var last string
	var current []string // the last [ERROR] line and its continuation
	for _, line := range strings.Split(string(stderr), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case opErrorLine().MatchString(line):
			current = []string{opErrorLine().ReplaceAllString(line, "")}
		case current != nil && !strings.HasPrefix(line, "["):
			current = append(current, line)
		default:
			last, current = line, nil
		}
	}
	head = last
	if current != nil {
		head, last = current[0], strings.Join(current, " ")
	}
	clean := func(s string) string {
		return opReadPrefix().ReplaceAllString(strings.TrimPrefix(s, "[ERROR] "), "")
	}
	msg, head = clean(last), clean(head)
	if len(msg) > maxOpMessage {
		cut := maxOpMessage
		for !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut] + "…"
	}
	return msg, head
}

// maxOpMessage bounds the part of op's stderr an id's message keeps.
const maxOpMessage = 400

// opReadPrefix is how op read starts its messages; the call's own
// description already names the reference.
var opReadPrefix = lazyregexp.New(`^could not read secret '[^']*': `)
