package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/execref/execref/protocol"
)

// The agent's wire: one batch per connection, in the exec protocol's own
// JSON. The caller writes one Call and closes its side for writing; the
// agent writes one Reply and closes the connection. No gRPC: the exec side
// links this package into every run, and a gRPC client's package init
// alone costs an exec run more than the agent saves it.

// Handler answers one batch as one exec run would. request is the exec
// request's JSON, as an exec run reads it on stdin; the reply has
// Response or Failure set.
type Handler interface {
	Resolve(ctx context.Context, request []byte) Reply
}

// Call is what the exec side sends: its configuration digest, the time it
// gives the batch, and the exec request.
type Call struct {
	// Config is the caller's configuration digest; the agent refuses a
	// call whose digest is not its own.
	Config string `json:"config"`
	// TimeoutMs is what is left of the caller's deadline when it sends:
	// the batch's deadline in the agent (at most maxCallTime).
	TimeoutMs int64 `json:"timeoutMs"`
	// Request is the exec request, as the exec side read it.
	Request json.RawMessage `json:"request"`
}

// Reply is the answer to one call: exactly one member is set.
type Reply struct {
	// Response is the exec response the batch gets.
	Response *protocol.Response `json:"response,omitempty"`
	// Failure is a whole-provider failure, as an exec run that exits
	// non-zero.
	Failure *Failure `json:"failure,omitempty"`
	// Refused says why the agent would not answer (another configuration).
	Refused string `json:"refused,omitempty"`
	// Timeout says the batch was not answered before its deadline.
	Timeout string `json:"timeout,omitempty"`
}

// Failure is the exit status and the one redacted line an exec run that
// failed the whole batch would have given.
type Failure struct {
	ExitStatus int    `json:"exitStatus"`
	Reason     string `json:"reason"`
}

// maxMessageBytes is the largest call or reply either side accepts: above
// the gateway's largest output limit (20 MiB) and its request limit.
const maxMessageBytes = 32 << 20

// errTooLarge: a message past maxMessageBytes.
var errTooLarge = fmt.Errorf("a message is larger than %d bytes", maxMessageBytes)

// writeJSON writes v as one JSON document, values unescaped as the exec
// protocol writes them.
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// readJSON reads r to its end, at most maxMessageBytes, into v: exactly
// one JSON document with no member v does not know.
func readJSON(r io.Reader, v any) error {
	data, err := io.ReadAll(io.LimitReader(r, maxMessageBytes+1))
	if err != nil {
		return err
	}
	if len(data) > maxMessageBytes {
		return errTooLarge
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		// The decoder's message can quote the document, and a reply holds
		// values: say only where it broke.
		return errors.New("not one JSON document of the agent's wire")
	}
	if dec.More() {
		return errors.New("more than one JSON document")
	}
	return nil
}

// callTimeout is the deadline a call gives the agent, from the caller's
// context: what is left of it, at most maxCallTime.
func callTimeout(ctx context.Context) time.Duration {
	d, ok := ctx.Deadline()
	if !ok {
		return maxCallTime
	}
	return min(time.Until(d), maxCallTime)
}
