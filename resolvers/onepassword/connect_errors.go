package onepassword

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/1Password/connect-sdk-go/onepassword"

	"github.com/execref/execref/protocol"
)

// retryKind says whether a failed Connect call is worth another try.
type retryKind int

const (
	noRetry    retryKind = iota
	retryFew             // the server could not be reached: a few quick tries
	retryUntil           // throttled or failing in passing: while the deadline allows
)

// connectError is a failed Connect call, classified: err wraps the
// protocol code, and says which call failed and what to do.
type connectError struct {
	err   error
	retry retryKind
}

// gaveUp is the error to report once retries stop, after attempts tries.
func (c connectError) gaveUp(attempts int) error {
	if attempts <= 1 {
		return c.err
	}
	return fmt.Errorf("%w (%d attempts)", c.err, attempts)
}

// classifyConnect maps an error of connect-sdk-go to a protocol code. The
// SDK returns Connect's error body {"status":N,"message":"..."} as an
// *onepassword.Error (the HTTP status standing in when the body is not
// JSON), transport failures as *url.Error, and a body it cannot decode as
// a plain "decoding response" error. what names the call ("reading item
// \"x\" of vault \"y\""); host is OP_CONNECT_HOST.
func classifyConnect(host, what string, err error) connectError {
	var (
		ae *onepassword.Error
		ue *url.Error
		ne net.Error
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		return connectError{err: fmt.Errorf("%w: %s: the deadline passed before Connect answered", protocol.Timeout, what)}
	case errors.As(err, &ae):
		return classifyStatus(host, what, ae)
	case errors.As(err, &ue):
		return connectError{err: fmt.Errorf("%w: cannot reach Connect at %s (OP_CONNECT_HOST) while %s: %v", protocol.Unavailable, host, what, ue.Err), retry: retryFew}
	case errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF):
		// The connection broke while the SDK read the answer's body.
		return connectError{err: fmt.Errorf("%w: the connection to Connect at %s broke while %s: %v", protocol.Unavailable, host, what, err), retry: retryFew}
	case strings.HasPrefix(err.Error(), "decoding "):
		// Not Connect's JSON: a web page, a proxy's answer. The decoder's
		// text is left out, since the body it was decoding may be an item
		// with its values.
		return connectError{err: fmt.Errorf("%w: %s: the answer from %s is not Connect's JSON; is OP_CONNECT_HOST the Connect server's URL?", protocol.Unavailable, what, host)}
	}
	return connectError{err: fmt.Errorf("%w: %s: %v", protocol.Internal, what, err)}
}

// classifyStatus maps Connect's error answers. 401 refuses the token for
// every id, so it fails the provider (see connectRun.fail); 403 is
// Connect's answer for a vault outside the token's scope ("vault X is not
// in scope"), which concerns that vault's ids only.
func classifyStatus(host, what string, ae *onepassword.Error) connectError {
	answer := fmt.Sprintf("%d %s", ae.StatusCode, http.StatusText(ae.StatusCode))
	if ae.Message != "" && ae.Message != http.StatusText(ae.StatusCode) {
		answer += ": " + boundedText(ae.Message)
	}
	s := ae.StatusCode
	switch {
	case s == http.StatusUnauthorized:
		return connectError{err: fmt.Errorf("%w: Connect at %s refused the token (%s) while %s; check OP_CONNECT_TOKEN: it must be an access token of this Connect server that has not been revoked", protocol.Unauthenticated, host, answer, what)}
	case s == http.StatusForbidden:
		return connectError{err: fmt.Errorf("%w: %s: Connect answered %s; the token's scope does not include this vault", protocol.PermissionDenied, what, answer)}
	case s == http.StatusNotFound:
		return connectError{err: fmt.Errorf("%w: %s: Connect answered %s", protocol.NotFound, what, answer)}
	case s == http.StatusTooManyRequests:
		return connectError{err: fmt.Errorf("%w: %s: Connect answered %s", protocol.RateLimited, what, answer), retry: retryUntil}
	case s >= 500 && s <= 599:
		return connectError{err: fmt.Errorf("%w: %s: Connect at %s answered %s", protocol.Unavailable, what, host, answer), retry: retryUntil}
	case s == 0:
		// An error body that is JSON but not Connect's: the SDK took its
		// (missing) "status" for the status. A proxy's, most likely.
		return connectError{err: fmt.Errorf("%w: %s: %s answered an error that is not Connect's (%q); is OP_CONNECT_HOST the Connect server's URL?", protocol.Unavailable, what, host, boundedText(ae.Message))}
	}
	return connectError{err: fmt.Errorf("%w: %s: Connect answered %s", protocol.Internal, what, answer)}
}

// maxAnswerText bounds the part of a server's error message that is
// quoted: it comes from whatever answered (Connect, a proxy), and goes
// into messages the runner and doctor print.
const maxAnswerText = 200

// boundedText is an error message from the server cut to maxAnswerText
// runes, with control characters (and quotes) escaped as Go would quote
// them, so that it stays one line that cannot rewrite a terminal.
func boundedText(s string) string {
	if r := []rune(s); len(r) > maxAnswerText {
		s = string(r[:maxAnswerText]) + "…"
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}
