package onepassword

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/execref/execref/protocol"
)

// connectPart is what of a field a reference asks for: its value, or,
// with "?attribute=otp" (or "totp"), the one-time password Connect
// computes for a one-time-password field.
type connectPart int

const (
	partValue connectPart = iota
	partOTP
)

// connectQueryPart reads a reference's query. Connect hands out fields as
// they are, so connect mode answers the value and the one-time password
// only; a query asking for more (?ssh-format=openssh, metadata attributes)
// is refused before anything is fetched, rather than answered with the
// plain value it did not ask for.
func connectQueryPart(query string) (connectPart, error) {
	if query == "" {
		return partValue, nil
	}
	q, err := url.ParseQuery(query)
	if err == nil && len(q) == 1 && len(q["attribute"]) == 1 {
		switch strings.ToLower(q.Get("attribute")) {
		case "value":
			return partValue, nil
		case "otp", "totp":
			return partOTP, nil
		}
	}
	return partValue, fmt.Errorf("%w: connect mode answers a field's value and its one-time password (?attribute=otp) only, not ?%s; use --mode sdk or --mode cli for it", protocol.InvalidID, query)
}

// connectValue is the part of a field a reference asks for.
func connectValue(t fieldTarget, part connectPart, where string) (string, error) {
	if part == partOTP {
		if t.field == nil || t.field.TOTP == "" {
			return "", fmt.Errorf("%w: %q of %s is not a one-time password field, so it has no ?attribute=otp", protocol.InvalidValue, t.name(), where)
		}
		return t.field.TOTP, nil
	}
	return t.field.Value, nil
}
