package main

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"time"

	"github.com/execref/execref/protocol"
)

// mutation names one flaw that --mutate injects. The empty mutation is the
// correct resolver. Each flaw is deterministic: it shows on every run whose
// request can trigger it. README.md lists the rule each one breaks.
type mutation string

const (
	none             mutation = ""
	stdoutLog        mutation = "stdout-log"         // a log line on stdout before the JSON
	stderrLeak       mutation = "stderr-leak"        // "resolved <id> = <value>" on stderr
	messageLeak      mutation = "message-leak"       // NOT_FOUND messages hold a fixture value
	exitOnMissing    mutation = "exit-on-missing"    // exit 1 after the response when an id is NOT_FOUND
	dropID           mutation = "drop-id"            // the last asked id is left out
	extraID          mutation = "extra-id"           // an id not asked is answered too
	wrongVersion     mutation = "wrong-version"      // protocolVersion 2
	hang             mutation = "hang"               // sleeps forever after reading stdin
	ignoreDeadline   mutation = "ignore-deadline"    // slow ids really take 30s
	needsHome        mutation = "needs-home"         // exit 78 without HOME
	mangleUnicode    mutation = "mangle-unicode"     // non-ASCII runes in values become '?'
	crashOnMalformed mutation = "crash-on-malformed" // a Go panic instead of exit 65
	rejectDuplicates mutation = "reject-duplicates"  // exit 65 on a duplicate id
	answerInvalid    mutation = "answer-invalid"     // grammar-breaking ids get NOT_FOUND
	failEmpty        mutation = "fail-empty"         // exit 65 on an empty ids array
	stateful         mutation = "stateful"           // every other run answers missing ids UNAVAILABLE
	bigOutput        mutation = "big-output"         // 2 MiB of filler on stderr
	schemaViolation  mutation = "schema-violation"   // errors as bare code strings
	slowStart        mutation = "slow-start"         // 6s before reading stdin
	smallBatch       mutation = "small-batch"        // exit 65 on more than 100 ids
	ambiguousAsMiss  mutation = "ambiguous-as-notfound"
	invalidAsMiss    mutation = "invalid-as-notfound"
	anyVersion       mutation = "any-version" // answers whatever protocolVersion it is sent
	readAll          mutation = "read-all"    // reads stdin without a size limit

	// Flaws in reading ids (mutations_ids.go).
	crashOnUnderscore mutation = "crash-on-underscore" // a panic on an id with '_'
	crashOn256        mutation = "crash-on-256"        // a panic on an id of 256 characters
	cutAtHash         mutation = "cut-at-hash"         // looks up the id up to its first '#'
	stripPrefix       mutation = "strip-prefix-colon"  // looks up the id after its first ':'
	prefixMatch       mutation = "prefix-match"        // an unknown id takes the value of a fixture id it prefixes, or that prefixes it up to a /

	// Serves only the provider alias of its own documentation.
	pinnedProvider mutation = "pinned-provider"

	// Flaws in writing the response (mutations_output.go).
	omitValues mutation = "omit-values-when-all-fail" // no "values" when every id failed

	// Quirks the gateway accepts: the suite must pass them (with a warning
	// for the last two).
	messageTimestamp mutation = "message-timestamp" // NOT_FOUND messages end with the time
	bom              mutation = "bom"               // a UTF-8 byte order mark before the JSON
	version10        mutation = "version-1.0"       // "protocolVersion":1.0
)

var mutations = []mutation{stdoutLog, stderrLeak, messageLeak, exitOnMissing, dropID,
	extraID, wrongVersion, hang, ignoreDeadline, needsHome, mangleUnicode, crashOnMalformed,
	rejectDuplicates, answerInvalid, failEmpty, stateful, bigOutput, schemaViolation, slowStart,
	smallBatch, ambiguousAsMiss, invalidAsMiss, anyVersion, readAll,
	crashOnUnderscore, crashOn256, cutAtHash, stripPrefix, prefixMatch, pinnedProvider, omitValues, messageTimestamp, bom, version10}

const (
	slowStartDelay = 6 * time.Second // beyond the gateway's default 5s timeoutMs
	fillerBytes    = 2 << 20         // twice the gateway's default maxOutputBytes
)

func (m mutation) known() bool {
	if m == none {
		return true
	}
	for _, k := range mutations {
		if m == k {
			return true
		}
	}
	return false
}

func mutationNames() []string {
	names := make([]string, len(mutations))
	for i, m := range mutations {
		names[i] = string(m)
	}
	return names
}

// sleepForever blocks without output. A sleeping loop, not an empty
// select: with no goroutine left to wake it, the runtime would report a
// deadlock and exit instead of hanging.
func sleepForever() {
	for {
		time.Sleep(time.Hour)
	}
}

// asciiOnly replaces every non-ASCII rune with '?'.
func asciiOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r > 0x7f {
			return '?'
		}
		return r
	}, s)
}

// writeFiller writes fillerBytes of harmless text on stderr in one go.
func writeFiller(w io.Writer) {
	line := strings.Repeat("filler ", 9) + "\n" // 64 bytes
	w.Write(bytes.Repeat([]byte(line), fillerBytes/len(line)))
}

// looseErrors copies errors for encodeLoose: as they are, or, with bare,
// as {"id":"CODE"} instead of {"id":{"code":"CODE",...}}.
func looseErrors(errs map[string]protocol.Error, bare bool) map[string]any {
	out := make(map[string]any, len(errs))
	for id, e := range errs {
		out[id] = e
		if bare {
			out[id] = string(e.Code)
		}
	}
	return out
}

// encodeLoose writes a response that protocol.EncodeResponse would refuse
// to produce: any protocolVersion, errors of any shape. One line, one Write.
func encodeLoose(w io.Writer, version int, values, errs map[string]any) error {
	resp := struct {
		ProtocolVersion int            `json:"protocolVersion"`
		Values          map[string]any `json:"values"`
		Errors          map[string]any `json:"errors,omitempty"`
	}{version, values, errs}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(resp); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
