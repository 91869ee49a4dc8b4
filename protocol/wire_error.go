package protocol

import "strings"

// ErrorOf turns an error into the wire's per-id error: its code (CodeOf)
// and its message (MessageOf). The message is not redacted: that is the
// sender's job.
func ErrorOf(err error) Error {
	return Error{Code: CodeOf(err), Message: MessageOf(err)}
}

// MessageOf is the text of err for the wire's "message" member, which sits
// beside "code": the text without a leading mention of the code.
//
// Wrapping a Code as its doc says, fmt.Errorf("%w: no field %q",
// NotFound, f), gives "not found: no field …"; sent as is, a host that
// prints code and message ("NOT_FOUND: not found: no field …") would say
// it twice. So the code's phrase (or the code itself, from an *Error) is
// cut from the front; what is left is returned, "" when nothing is.
// Nil has no message.
func MessageOf(err error) string {
	if err == nil {
		return ""
	}
	text, code := err.Error(), CodeOf(err)
	for _, lead := range []string{code.Error(), string(code)} {
		if text == lead {
			return ""
		}
		if rest, ok := strings.CutPrefix(text, lead+": "); ok {
			return rest
		}
	}
	return text
}
