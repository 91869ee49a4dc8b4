package conformance

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/execref/execref/protocol"
)

// How reports write what a target sent. Two different things must never
// read alike, and nothing in a report may name a Go type: the reader may
// have written the resolver in any language.

// plainCode is what a code looks like when it needs no quotes.
var plainCode = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// codeText renders a code as it is on the wire: NOT_FOUND as is, and
// anything unusual ("not found", "NOT_FOUND ", "") quoted, so that a code
// that differs never reads like the one wanted. (protocol.Code's own Error
// method reads "not found", which is why %s must not be used on a code.)
func codeText(c protocol.Code) string {
	if plainCode.MatchString(string(c)) {
		return string(c)
	}
	return strconv.Quote(string(c))
}

// Ids longer than longID are shortened in reports: derived ids run to
// 200 characters and more, and a reader needs only to tell them apart.
const (
	longID    = 60
	idShownAs = 40
)

// idText quotes an id for a report, shortened when long: its first 40
// characters and its length.
func idText(id string) string {
	n := utf8.RuneCountInString(id)
	if n <= longID {
		return strconv.Quote(id)
	}
	return strconv.Quote(string([]rune(id)[:idShownAs])) + fmt.Sprintf("…(%d chars)", n)
}

// jsonKind names the JSON type of a decoded value, for "want a string,
// got …".
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "an unknown JSON value"
}

// clip bounds text that came from the target, after it was redacted (never
// before: cutting first could leave the start of a secret that redaction
// no longer recognises). Long text keeps its head and its tail, where a
// crash puts its first and its last line.
func clip(redacted string, most int) string {
	redacted = strings.ToValidUTF8(redacted, "\uFFFD")
	if len(redacted) <= most {
		return redacted
	}
	half := most / 2
	head := redacted[:half]
	for !utf8.ValidString(head) {
		head = head[:len(head)-1]
	}
	tail := redacted[len(redacted)-half:]
	for !utf8.ValidString(tail) {
		tail = tail[1:]
	}
	return fmt.Sprintf("%s …(%d bytes)… %s", head, len(redacted), tail)
}
