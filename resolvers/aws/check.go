package aws

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/check"
)

// Check verifies, in the order Resolve depends on them and reading no
// secret: a region and base credentials are found (and from where); AWS
// accepts them (STS GetCallerIdentity, which every principal may call,
// answered by the configured endpoint); the role, when one is configured,
// can be assumed; and the Secrets Manager and SSM endpoints answer.
func (r *Resolver) Check(ctx context.Context, b *sdk.Batch, rep *check.Report) error {
	base := r.settings // loaded anew, never the session batches keep
	base.roleARN = ""  // the base credentials are checked first, then the role
	cfg, err := base.awsConfig(ctx, b, 0)
	if err != nil {
		name := "credentials"
		if cfg.Region == "" {
			name = "region"
		}
		rep.Fail(name, err)
		return nil
	}
	rep.OK("region", cfg.Region+" ("+r.regionSource()+")")
	creds, err := cfg.Credentials.Retrieve(ctx) // cached by awsConfig's call: no second fetch
	if err != nil {
		rep.Fail("credentials", credentialsError(err))
		return nil
	}
	rep.OK("credentials", describeCredentials(creds))

	stsURL, err := endpointURL(ctx, "sts", cfg)
	if err != nil {
		rep.Fail("endpoint", fmt.Errorf("%w: resolving the STS endpoint: %w", sdk.ErrConfig, err))
		return nil
	}
	stsClient := sts.NewFromConfig(cfg, func(o *sts.Options) { o.Retryer = retry.AddWithMaxAttempts(o.Retryer, 2) })
	id, err := stsClient.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		rep.Fail("identity", awsFailure("STS", stsURL, err))
		return nil
	}
	rep.OK("identity", fmt.Sprintf("%s in account %s (STS at %s)", awssdk.ToString(id.Arn), awssdk.ToString(id.Account), stsURL))

	if r.roleARN != "" && !r.checkRole(ctx, b, cfg, stsClient, stsURL, rep) {
		return nil
	}
	for _, service := range []string{"secretsmanager", "ssm"} {
		checkEndpoint(ctx, service, cfg, stsURL, rep)
	}
	return nil
}

// regionSource says where the region came from, in the SDK's order.
func (r *Resolver) regionSource() string {
	switch {
	case r.region != "":
		return "--region"
	case os.Getenv("AWS_REGION") != "":
		return "AWS_REGION"
	case os.Getenv("AWS_DEFAULT_REGION") != "":
		return "AWS_DEFAULT_REGION"
	}
	return "the shared config profile"
}

// describeCredentials says which credentials were found and where, with
// the access key id shortened and never the secret key or token.
func describeCredentials(c awssdk.Credentials) string {
	id := shortKeyID(c.AccessKeyID)
	source := c.Source
	for prefix, says := range map[string]string{
		"EnvConfigCredentials":    "the environment (AWS_ACCESS_KEY_ID)",
		"SharedConfigCredentials": "the shared credentials file",
		"WebIdentityCredentials":  "a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE)",
		"EC2RoleProvider":         "the instance role",
		"CredentialsEndpoint":     "the container credentials endpoint",
		"ProcessProvider":         "a credential_process",
		"SSOProvider":             "AWS IAM Identity Center (SSO)",
	} {
		if strings.HasPrefix(source, prefix) {
			source = says + " [" + source + "]"
		}
	}
	text := fmt.Sprintf("access key %s from %s", id, source)
	if c.SessionToken != "" {
		text += ", with a session token"
	}
	if c.CanExpire {
		text += ", expires in " + time.Until(c.Expires).Round(time.Second).String()
	}
	return text
}

// shortKeyID is an access key id as diagnostics show it: its first and
// last four characters, enough to tell keys apart.
func shortKeyID(id string) string {
	if len(id) > 8 {
		return id[:4] + "…" + id[len(id)-4:]
	}
	return id
}

// checkRole assumes the configured role as Resolve does, and asks STS who
// the role's credentials are.
func (r *Resolver) checkRole(ctx context.Context, b *sdk.Batch, cfg awssdk.Config, stsClient *sts.Client, stsURL string, rep *check.Report) bool {
	cfg.Credentials = awssdk.NewCredentialsCache(stscreds.NewAssumeRoleProvider(stsClient, r.roleARN, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = r.sessionName
		if r.externalID != "" {
			o.ExternalID = awssdk.String(r.externalID)
		}
	}))
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		rep.Fail("assume role", awsFailure("STS AssumeRole of "+r.roleARN+" at", stsURL, err))
		return false
	}
	b.Sensitive(creds.SecretAccessKey, creds.SessionToken)
	id, err := sts.NewFromConfig(cfg, func(o *sts.Options) { o.Retryer = retry.AddWithMaxAttempts(o.Retryer, 2) }).
		GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		rep.Fail("assume role", awsFailure("STS, with the role's credentials,", stsURL, err))
		return false
	}
	rep.OK("assume role", fmt.Sprintf("%s as %s, expires in %s", r.roleARN, awssdk.ToString(id.Arn), time.Until(creds.Expires).Round(time.Second)))
	return true
}

// awsFailure classifies a failed call: AWS refusing the credentials (77),
// another AWS answer by its code, or no answer (69).
func awsFailure(what, endpoint string, err error) error {
	var api smithy.APIError
	var netErr *net.OpError
	switch {
	case errors.As(err, &api) && isAuthFailure(api.ErrorCode()):
		return fmt.Errorf("%w: AWS rejected the credentials: %s: %s", protocol.Unauthenticated, api.ErrorCode(), api.ErrorMessage())
	case errors.As(err, &api) && api.ErrorCode() == "AccessDenied":
		return fmt.Errorf("%w: %s %s: %s: %s", protocol.PermissionDenied, what, endpoint, api.ErrorCode(), api.ErrorMessage())
	case errors.As(err, &api):
		return fmt.Errorf("%w: %s %s: %s: %s", codeOf(api.ErrorCode(), api.ErrorMessage()), what, endpoint, api.ErrorCode(), api.ErrorMessage())
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return fmt.Errorf("%w: %s %s did not answer in time", protocol.Timeout, what, endpoint)
	case errors.As(err, &netErr):
		return fmt.Errorf("%w: %s %s did not answer: %s", protocol.Unavailable, what, endpoint, netErr)
	}
	return fmt.Errorf("%w: %s %s did not answer: %s", protocol.Unavailable, what, endpoint, strings.Join(strings.Fields(err.Error()), " "))
}

// endpointURL is the URL a service's client of cfg calls: --endpoint-url,
// AWS_ENDPOINT_URL[_SERVICE], else the service's regional endpoint.
func endpointURL(ctx context.Context, service string, cfg awssdk.Config) (string, error) {
	fips := func(s awssdk.FIPSEndpointState) *bool { return awssdk.Bool(s == awssdk.FIPSEndpointStateEnabled) }
	dual := func(s awssdk.DualStackEndpointState) *bool {
		return awssdk.Bool(s == awssdk.DualStackEndpointStateEnabled)
	}
	var uri interface{ String() string }
	switch service {
	case "sts":
		o := sts.NewFromConfig(cfg).Options()
		ep, err := o.EndpointResolverV2.ResolveEndpoint(ctx, sts.EndpointParameters{Region: &o.Region, Endpoint: o.BaseEndpoint,
			UseFIPS: fips(o.EndpointOptions.UseFIPSEndpoint), UseDualStack: dual(o.EndpointOptions.UseDualStackEndpoint)})
		if err != nil {
			return "", err
		}
		uri = &ep.URI
	case "secretsmanager":
		o := secretsmanager.NewFromConfig(cfg).Options()
		ep, err := o.EndpointResolverV2.ResolveEndpoint(ctx, secretsmanager.EndpointParameters{Region: &o.Region, Endpoint: o.BaseEndpoint,
			UseFIPS: fips(o.EndpointOptions.UseFIPSEndpoint), UseDualStack: dual(o.EndpointOptions.UseDualStackEndpoint)})
		if err != nil {
			return "", err
		}
		uri = &ep.URI
	case "ssm":
		o := ssm.NewFromConfig(cfg).Options()
		ep, err := o.EndpointResolverV2.ResolveEndpoint(ctx, ssm.EndpointParameters{Region: &o.Region, Endpoint: o.BaseEndpoint,
			UseFIPS: fips(o.EndpointOptions.UseFIPSEndpoint), UseDualStack: dual(o.EndpointOptions.UseDualStackEndpoint)})
		if err != nil {
			return "", err
		}
		uri = &ep.URI
	}
	return uri.String(), nil
}

// checkEndpoint makes sure a service's endpoint answers. When it is STS's,
// which just answered, nothing more is sent; otherwise an unsigned GET,
// which any answer (even an error page) proves reachable.
func checkEndpoint(ctx context.Context, service string, cfg awssdk.Config, stsURL string, rep *check.Report) {
	name := "endpoint " + service
	url, err := endpointURL(ctx, service, cfg)
	switch {
	case err != nil:
		rep.Fail(name, fmt.Errorf("%w: resolving the %s endpoint: %w", sdk.ErrConfig, service, err))
		return
	case url == stsURL:
		rep.OK(name, url+" (STS's, which answered)")
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		rep.Fail(name, fmt.Errorf("%w: %s endpoint %q: %w", sdk.ErrConfig, service, url, err))
		return
	}
	var client interface {
		Do(*http.Request) (*http.Response, error)
	} = http.DefaultClient
	if cfg.HTTPClient != nil {
		client = cfg.HTTPClient
	}
	resp, err := client.Do(req)
	if err != nil {
		rep.Fail(name, awsFailure(service+" at", url, err))
		return
	}
	resp.Body.Close()
	rep.OK(name, fmt.Sprintf("%s answers (HTTP %d to an unsigned request)", url, resp.StatusCode))
}
