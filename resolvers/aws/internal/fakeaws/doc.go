// Package fakeaws is an in-process fake of the three AWS services the AWS
// resolver talks to, speaking their real wire protocols on 127.0.0.1, so
// that the resolver's binary and the real aws-sdk-go-v2 clients can be
// tested without AWS and without an emulator:
//
//   - Secrets Manager, AWS JSON 1.1 (POST /, Content-Type
//     application/x-amz-json-1.1, X-Amz-Target secretsmanager.<Op>):
//     GetSecretValue and BatchGetSecretValue;
//   - SSM Parameter Store, AWS JSON 1.1 (X-Amz-Target AmazonSSM.<Op>):
//     GetParameters and GetParameter;
//   - STS, the AWS Query protocol (form-encoded POST, Action=AssumeRole or
//     GetCallerIdentity, Version=2011-06-15, an XML response): AssumeRole,
//     and GetCallerIdentity for the resolver's self-check.
//
// One server answers all three, as one --endpoint-url does for the
// resolver: a request is dispatched on X-Amz-Target, or on the form's
// Action for STS, and must be signed for the matching service.
//
// Errors have the shapes the services send and the SDK's deserializers
// read (smithy-go's awsjson and awsquery protocols): for the JSON services
// an HTTP 400 (500 for server faults) with Content-Type
// application/x-amz-json-1.1 and a body {"__type":"<Code>","Message":"…"}
// where the message member is cased as the service's model names it
// (Secrets Manager "Message"; SSM "message" for ParameterNotFound,
// ParameterVersionNotFound and InvalidKeyId, "Message" for the others) and
// lower case for the errors AWS's front end sends for every service
// (UnrecognizedClientException, InvalidSignatureException,
// IncompleteSignatureException, MissingAuthenticationTokenException,
// ExpiredTokenException, ThrottlingException); the SDK reads either
// casing. For STS an <ErrorResponse><Error><Type/><Code/><Message/>
// </Error><RequestId/></ErrorResponse> document, HTTP 400 or 403.
//
// Batch answers: BatchGetSecretValue answers every SecretId asked, in
// order, with a SecretValues entry or an Errors entry (a secret asked
// twice, e.g. by name and by ARN, is answered twice: AWS documents no
// de-duplication); GetParameters answers each distinct name asked once,
// in Parameters or in InvalidParameters, and refuses the whole call when
// one name is denied (AccessDeniedException) or cannot be decrypted
// (InvalidKeyId), as IAM and KMS do.
//
// A SecretId is a name, a complete ARN or a partial ARN (the ARN without
// the hyphen and six characters Secrets Manager appends). A string that is
// both one secret's complete ARN and another's partial ARN is taken as the
// complete ARN, as the Secrets Manager documentation says.
//
// Quirks, all off by default, make the fake answer as some emulators,
// proxies and caches do: OmitSelector (GetParameter(s) answers without
// Selector), IgnoreSecretVersions (GetSecretValue answers the current
// version whatever was pinned) and LoosePartialARNs (a partial ARN finds
// any secret whose ARN starts with it).
//
// Every request must carry a SigV4 Authorization header: the algorithm,
// the credential scope (date/region/service/aws4_request, with the
// server's region and the service the request is for), SignedHeaders, an
// X-Amz-Date within 15 minutes, a known access key (else
// UnrecognizedClientException, or InvalidClientTokenId for STS), the
// session token issued with a temporary key, and a signature, which is
// verified with the key's secret (InvalidSignatureException, or
// SignatureDoesNotMatch for STS) unless the server's SkipSignatureCheck is
// set.
//
// Test controls: seed secrets (versions, stages, binary, JSON, denied,
// undecryptable, deleted) and parameters (types, versions, labels, denied,
// undecryptable); throttle or fail the next N calls of an operation; add
// latency; count calls per operation with the ids of each call; record
// every request (headers, access key, session token, status); measure the
// peak number of calls in flight; require that data calls use credentials
// of an assumed role; shorten the sessions AssumeRole issues to seconds
// (their keys are refused with ExpiredTokenException once past their
// Expiration, as AWS refuses them) or expire a key at once.
package fakeaws
