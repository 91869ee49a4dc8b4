package onepassword

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	onepassword "github.com/1password/onepassword-sdk-go"
	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/lazyregexp"
)

// The SDK's errors are strings made by its WASM core (errors.New of the
// core's message), except RateLimitExceededError. The texts matched here
// were measured with the v0.4.1 core, offline: malformed tokens, and a
// loopback server answering the sign-in with each HTTP status (see
// sdkmode_offline_test.go), so a change in a later core fails those tests
// rather than misclassifying silently.
var (
	// The token never reached 1Password: it is not a service account token.
	malformedToken = []string{
		"invalid service account token",
		"service account token was not specified",
		"service account token had invalid format",
	}
	// 1Password read the token and refused it.
	refusedToken = []string{
		"you are not authenticated",
		"bad service account token",
		"throttle token is invalid",
		"account couldn't be found",
	}
	forbidden = []string{"you don't have the right permissions"}
	// 1Password (or the way to it) failed: a retry later may work.
	serverDown = []string{
		"internal server error",
		"unexpected status code in response: 5",
		"request timeout",
	}
	// A transport error, as net/http's url.Error prints it: the host
	// function that makes the core's requests panics with it, and the WASM
	// runtime hands the text back.
	transportError = lazyregexp.New(`\b(Get|Post|Put|Patch|Delete|Head) "https?://[^"]*": `)
)

// signInError classifies a failed NewClient: a whole-provider error.
func signInError(ctx context.Context, err error, token string) error {
	text := sdkText(err, token)
	switch {
	case has(text, malformedToken):
		return fmt.Errorf("%w: the service account token is malformed, so it was not sent to 1Password (%s); "+
			"copy the whole token from 1Password: it starts with ops_", protocol.Unauthenticated, text)
	case has(text, refusedToken), strings.Contains(text, "resource not found"):
		return fmt.Errorf("%w: 1Password refused the service account token (%s); "+
			"the service account may have been deleted, or the token revoked or expired", protocol.Unauthenticated, text)
	case ctx.Err() != nil && !errors.As(err, new(*rateLimitError)):
		return fmt.Errorf("%w: signing in to 1Password did not finish within the deadline (%s); "+
			"the SDK compiles its core on every start, which takes seconds of CPU: raise --timeout and the provider's timeoutMs",
			protocol.Timeout, text)
	}
	return callError(ctx, err, token)
}

// callError classifies an SDK call that failed as a whole.
func callError(ctx context.Context, err error, token string) error {
	text := sdkText(err, token)
	var limited *rateLimitError
	switch {
	case errors.As(err, &limited):
		return fmt.Errorf("%w: 1Password was still rate-limiting after %d tries within the deadline (%s)",
			protocol.RateLimited, limited.tries, text)
	case ctx.Err() != nil:
		return fmt.Errorf("%w: 1Password did not answer within the deadline (%s)", protocol.Timeout, text)
	case has(text, refusedToken):
		return fmt.Errorf("%w: 1Password refused the service account token (%s)", protocol.Unauthenticated, text)
	case strings.Contains(text, "invalid client id"):
		return fmt.Errorf("%w: %w (%s); the next batch signs in again", protocol.Unavailable, errClientLost, text)
	case has(text, forbidden):
		return fmt.Errorf("%w: 1Password refused the service account access (%s)", protocol.PermissionDenied, text)
	case transportError().MatchString(text):
		return fmt.Errorf("%w: 1Password could not be reached (%s); check the network, DNS, and HTTPS_PROXY "+
			"(the gateway passes it only when passEnv names it)", protocol.Unavailable, text)
	case has(text, serverDown):
		return fmt.Errorf("%w: 1Password failed to answer (%s)", protocol.Unavailable, text)
	}
	return fmt.Errorf("1Password SDK: %s", text)
}

// rateLimited reports whether err is 1Password throttling: the SDK's
// typed error for calls, its text for the sign-in (which the core reports
// as "authentication error: rate limit exceeded").
func rateLimited(err error) bool {
	var typed *onepassword.RateLimitExceededError
	return errors.As(err, &typed) || strings.Contains(err.Error(), "rate limit exceeded")
}

// sdkText is the SDK error's first line without the SDK's and the WASM
// runtime's wrapping, and without the token should a message ever quote
// it. The lines after the first are the WASM stack trace of a panic.
func sdkText(err error, token string) string {
	text, _, _ := strings.Cut(err.Error(), "\n")
	text = strings.TrimPrefix(text, "error initializing client: ")
	text = strings.TrimSuffix(strings.TrimSpace(text), " (recovered by wazero)")
	if token != "" {
		text = strings.ReplaceAll(text, token, "[REDACTED]")
	}
	return text
}

func has(text string, phrases []string) bool {
	for _, p := range phrases {
		if strings.Contains(text, p) {
			return true
		}
	}
	return false
}

// referenceError is the per-id error for a reference 1Password could not
// resolve. Several matches are never resolved to one: the SDK reports
// them, and they become AMBIGUOUS_DUPLICATE_KEY.
func referenceError(text string, r reference, e onepassword.ResolveReferenceError) error {
	where := fmt.Sprintf("item %q in vault %q", r.item, r.vault)
	switch e.Type {
	case onepassword.ResolveReferenceErrorTypeVariantVaultNotFound:
		return fmt.Errorf("%w: %s: no vault %q that the service account can read", protocol.NotFound, text, r.vault)
	case onepassword.ResolveReferenceErrorTypeVariantItemNotFound:
		return fmt.Errorf("%w: %s: no %s", protocol.NotFound, text, where)
	case onepassword.ResolveReferenceErrorTypeVariantNoMatchingSections:
		return fmt.Errorf("%w: %s: %s has no section %q", protocol.NotFound, text, where, r.section)
	case onepassword.ResolveReferenceErrorTypeVariantFieldNotFound:
		return fmt.Errorf("%w: %s: %s has no field %q%s", protocol.NotFound, text, where, r.field, inSection(r))
	case onepassword.ResolveReferenceErrorTypeVariantTooManyVaults:
		return fmt.Errorf("%w: %s: several vaults match %q; use the vault's 26-character id", protocol.AmbiguousDuplicateKey, text, r.vault)
	case onepassword.ResolveReferenceErrorTypeVariantTooManyItems:
		return fmt.Errorf("%w: %s: several items in vault %q match %q; use the item's 26-character id", protocol.AmbiguousDuplicateKey, text, r.vault, r.item)
	case onepassword.ResolveReferenceErrorTypeVariantTooManyMatchingFields:
		return fmt.Errorf("%w: %s: several fields of %s match %q%s; use the field's id, or name its section", protocol.AmbiguousDuplicateKey, text, where, r.field, inSection(r))
	case onepassword.ResolveReferenceErrorTypeVariantParsing:
		return fmt.Errorf("%w: %s: 1Password could not parse the reference: %s", protocol.InvalidID, text, errorDetail(e))
	case onepassword.ResolveReferenceErrorTypeVariantUnsupportedFileFormat:
		return fmt.Errorf("%w: %s: the file is not text, and only text files can be resolved", protocol.InvalidValue, text)
	case onepassword.ResolveReferenceErrorTypeVariantIncompatibleTOTPQueryParameterField,
		onepassword.ResolveReferenceErrorTypeVariantUnableToGenerateTOTPCode,
		onepassword.ResolveReferenceErrorTypeVariantSSHKeyMetadataNotFound,
		onepassword.ResolveReferenceErrorTypeVariantIncompatibleSSHKeyQueryParameterField,
		onepassword.ResolveReferenceErrorTypeVariantUnableToParsePrivateKey,
		onepassword.ResolveReferenceErrorTypeVariantUnableToFormatPrivateKeyToOpenSSH:
		return fmt.Errorf("%w: %s: 1Password could not give the field's value (%s%s)", protocol.InvalidValue, text, e.Type, detailSuffix(e))
	case onepassword.ResolveReferenceErrorTypeVariantOther:
		return fmt.Errorf("%w: %s: 1Password could not resolve it and gave no reason (error type %q)", protocol.Unavailable, text, e.Type)
	}
	return fmt.Errorf("%w: %s: 1Password answered with an error type this resolver does not know: %q", protocol.Internal, text, e.Type)
}

func inSection(r reference) string {
	if r.section == "" {
		return ""
	}
	return fmt.Sprintf(" in section %q", r.section)
}

// errorDetail is the message some error types carry. It is read through
// the type's JSON form: the SDK's accessors dereference a pointer that is
// nil when the message is absent.
func errorDetail(e onepassword.ResolveReferenceError) string {
	raw, err := json.Marshal(e)
	if err != nil {
		return ""
	}
	var v struct {
		Message string `json:"message"`
	}
	_ = json.Unmarshal(raw, &v)
	return v.Message
}

func detailSuffix(e onepassword.ResolveReferenceError) string {
	if d := errorDetail(e); d != "" {
		return ": " + d
	}
	return ""
}
