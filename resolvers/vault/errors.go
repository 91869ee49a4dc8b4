package vault

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"strings"

	"github.com/hashicorp/vault/api"

	"github.com/execref/execref/protocol"
)

// classify maps a failed request to the code its ids get. Anything that
// is not an HTTP answer (refused connection, DNS, TLS, a cut body) means
// Vault could not be reached.
func classify(err error) protocol.Code {
	var re *api.ResponseError
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return protocol.Timeout
	case !errors.As(err, &re):
		return protocol.Unavailable
	case re.StatusCode == http.StatusForbidden:
		return protocol.PermissionDenied
	case re.StatusCode == http.StatusNotFound:
		return protocol.NotFound
	case re.StatusCode == http.StatusTooManyRequests:
		return protocol.RateLimited
	case re.StatusCode == http.StatusBadRequest:
		return protocol.InvalidID
	case re.StatusCode >= 300 && re.StatusCode < 400:
		return protocol.Unavailable // a redirect we refused to follow
	}
	return protocol.Unavailable
}

// brief is an error's text on one line: Vault's errors are a multi-line
// list, and the URL they start with says nothing the id does not.
func brief(err error) string {
	var re *api.ResponseError
	if errors.As(err, &re) {
		if len(re.Errors) > 0 {
			return oneLine(strings.Join(re.Errors, "; ")) + " (HTTP " + http.StatusText(re.StatusCode) + ")"
		}
		return "HTTP " + http.StatusText(re.StatusCode)
	}
	return oneLine(err.Error())
}

// oneLine folds Vault's multi-error lists ("2 errors occurred:\n\t* …").
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// isUntrustedCertificate recognises a failed TLS verification: a CA or
// server-name setting to fix, not an outage.
func isUntrustedCertificate(err error) bool {
	var unknown x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	return errors.As(err, &unknown) || errors.As(err, &hostname) || errors.As(err, &invalid) || errors.As(err, &verify)
}

// tokenRefusedError is a batch's failure because Vault refused its token
// itself: a kept login's token is then forgotten (resolver.go).
type tokenRefusedError struct{ reason string }

func (e *tokenRefusedError) Error() string { return "Vault refused the token: " + e.reason }

// isInvalidToken recognises Vault's refusal of the token itself, as
// opposed to a policy refusing a path.
func isInvalidToken(err error) bool {
	var re *api.ResponseError
	if !errors.As(err, &re) || re.StatusCode != http.StatusForbidden {
		return false
	}
	for _, e := range re.Errors {
		if strings.Contains(e, "invalid token") || strings.Contains(e, "token expired") || strings.Contains(e, "bad token") {
			return true
		}
	}
	return false
}
