package aws

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/warm"
)

// Resolver is the AWS backend, configured by flags and the SDK's default
// chain (environment, shared files, web identity, container and instance
// roles). Make it with New. It is safe for concurrent Resolve calls: the
// flags are set once, before the first, and the session is a warm.Value.
type Resolver struct {
	settings
	// session is the loaded AWS configuration and its clients, kept
	// between the batches of a long-lived process (see session.go).
	session warm.Value[*session]
}

// settings are the flags: what a Resolver is configured with, and all
// that Check copies to look at the base credentials without the role.
type settings struct {
	region, profile, endpoint string
	roleARN, sessionName      string
	externalID                string
	jsonValues                bool
}

// New returns a Resolver.
func New() *Resolver {
	r := &Resolver{}
	r.session.Name = "AWS configuration"
	return r
}

func (r *Resolver) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&r.region, "region", "", "AWS `region` (default: AWS_REGION, AWS_DEFAULT_REGION, then the profile's)")
	fs.StringVar(&r.profile, "profile", "", "shared config `profile` (default: AWS_PROFILE); the files need HOME, or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE")
	fs.StringVar(&r.roleARN, "role-arn", "", "assume this role `ARN` with the base credentials")
	fs.StringVar(&r.sessionName, "role-session-name", "openclaw-aws-resolver", "session `name` of the assumed role")
	fs.StringVar(&r.externalID, "external-id", "", "external `id` the role's trust policy requires")
	fs.StringVar(&r.endpoint, "endpoint-url", "", "`URL` of every AWS service called (VPC endpoints, tests)")
	fs.BoolVar(&r.jsonValues, "json", false, "return an object or array selected by #KEY as JSON text instead of INVALID_VALUE")
}

// Retries: throttling and 5xx, with backoff capped low enough that several
// fit in the SDK's deadline, which cuts them short anyway.
const (
	maxAttempts = 4
	maxBackoff  = time.Second
)

// credentialsRefreshWindow is how long before their expiry cached
// credentials (an assumed role's, and any expiring ones the default chain
// finds) are replaced: a batch that starts with them, in a process that
// keeps them (the agent), never signs with credentials AWS is about to
// call expired, even when the local clock runs up to this much behind
// AWS's. The SDK's default, no window, uses them to the last second. STS
// issues sessions of 15 minutes at least, so they are still used for 14.
const credentialsRefreshWindow = time.Minute

// awsConfig loads the SDK configuration and makes sure it has a region and
// credentials before any call, so that a missing one is reported as what
// to set rather than as a failure of every id. Expiring credentials are
// renewed window before their expiry (credentialsRefreshWindow; Check
// passes 0, to report when they really expire).
func (r *settings) awsConfig(ctx context.Context, b *sdk.Batch, window time.Duration) (awssdk.Config, error) {
	refreshEarly := func(o *awssdk.CredentialsCacheOptions) { o.ExpiryWindow = window }
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(func() awssdk.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts, o.MaxBackoff = maxAttempts, maxBackoff
			})
		}),
		config.WithCredentialsCacheOptions(refreshEarly),
	}
	if r.region != "" {
		opts = append(opts, config.WithRegion(r.region))
	}
	if r.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(r.profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return cfg, fmt.Errorf("%w: loading the AWS configuration: %w", sdk.ErrConfig, err)
	}
	if cfg.Region == "" {
		return cfg, fmt.Errorf("%w: no region: set AWS_REGION (passEnv or env) or --region, or a region in the profile", sdk.ErrConfig)
	}
	if r.endpoint != "" {
		cfg.BaseEndpoint = awssdk.String(r.endpoint)
	}
	if r.roleARN != "" {
		cfg.Credentials = awssdk.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), r.roleARN,
			func(o *stscreds.AssumeRoleOptions) {
				o.RoleSessionName = r.sessionName
				if r.externalID != "" {
					o.ExternalID = awssdk.String(r.externalID)
				}
			}), refreshEarly)
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return cfg, credentialsError(err)
	}
	b.Sensitive(creds.SecretAccessKey, creds.SessionToken)
	return cfg, nil
}

// credentialsError tells a refusal by AWS (an assume-role call refused)
// from credentials that are nowhere to be found.
func credentialsError(err error) error {
	var api smithy.APIError
	if errors.As(err, &api) {
		return fmt.Errorf("%w: AWS refused the credentials: %s: %s", protocol.Unauthenticated, api.ErrorCode(), api.ErrorMessage())
	}
	return fmt.Errorf("%w: no AWS credentials: pass AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), "+
		"or AWS_PROFILE with HOME or AWS_CONFIG_FILE/AWS_SHARED_CREDENTIALS_FILE, or AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN "+
		"(passEnv or env), or run where a container or instance role is available", sdk.ErrConfig)
}
