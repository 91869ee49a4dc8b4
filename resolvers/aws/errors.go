package aws

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/execref/execref/protocol"
)

// codeOf maps an AWS error code (an exception's name) to the code its ids
// get.
func codeOf(awsCode, message string) protocol.Code {
	switch {
	case awsCode == "ResourceNotFoundException", awsCode == "ParameterNotFound", awsCode == "ParameterVersionNotFound":
		return protocol.NotFound
	case awsCode == "InvalidRequestException" && strings.Contains(strings.ToLower(message), "delet"):
		return protocol.NotFound // marked for deletion
	case awsCode == "AccessDeniedException", isKMS(awsCode):
		return protocol.PermissionDenied
	case awsCode == "InvalidParameterException", awsCode == "ValidationException", awsCode == "InvalidRequestException":
		return protocol.InvalidID
	case strings.Contains(awsCode, "Throttl"), awsCode == "TooManyRequestsException", awsCode == "RequestLimitExceeded":
		return protocol.RateLimited
	case isAuthFailure(awsCode):
		return protocol.Unauthenticated
	}
	return protocol.Unavailable // InternalServiceError, 5xx, and what this resolver does not know
}

// isKMS: the secret exists and is readable, but KMS would not decrypt it.
func isKMS(awsCode string) bool {
	return awsCode == "DecryptionFailure" || awsCode == "InvalidKeyId" || strings.HasPrefix(awsCode, "KMS")
}

// isAuthFailure: AWS rejects the credentials themselves, for every call.
func isAuthFailure(awsCode string) bool {
	switch awsCode {
	case "UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch", "ExpiredTokenException",
		"ExpiredToken", "InvalidClientTokenId", "IncompleteSignature", "MissingAuthenticationToken":
		return true
	}
	return false
}

// awsError is an AWS error answer for an item, with the code its ids get.
func awsError(awsCode, message string, it item) error {
	code := codeOf(awsCode, message)
	switch {
	case isKMS(awsCode):
		return fmt.Errorf("%w: KMS could not decrypt %s (%s: %s)", code, it, awsCode, message)
	case code == protocol.NotFound && awsCode == "InvalidRequestException":
		return fmt.Errorf("%w: %s was deleted: it is marked for deletion (%s)", code, it, message)
	}
	return fmt.Errorf("%w: %s: %s: %s", code, it, awsCode, message)
}

// callError classifies a failed call: an AWS answer, the deadline, or no
// answer at all.
func callError(err error, it item) error {
	var api smithy.APIError
	switch {
	case errors.As(err, &api):
		return awsError(api.ErrorCode(), api.ErrorMessage(), it)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return fmt.Errorf("%w: %s: %v", protocol.Timeout, it, err)
	}
	return fmt.Errorf("%w: %s: AWS did not answer: %s", protocol.Unavailable, it, strings.Join(strings.Fields(err.Error()), " "))
}
