package aws

import "context"

// AWS's per-call limits.
const (
	secretsPerBatch    = 20 // BatchGetSecretValue SecretIdList
	parametersPerBatch = 10 // GetParameters Names
)

// value is what an item holds once fetched, or why it could not be.
type value struct {
	text     string
	binary   []byte
	isBinary bool // a secret with SecretBinary and no SecretString
	err      error
}

// call is one request to AWS for one or more items. run returns each
// item's value, or an error when the call as a whole failed.
type call struct {
	items []item
	run   func(ctx context.Context) (map[item]value, error)
}
