package fakeaws_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/execref/execref/resolvers/aws/internal/fakeaws"
)

// These tests drive the fake with the real aws-sdk-go-v2 clients, so that
// what the fake sends is what the SDK's deserializers accept, typed errors
// included.

var ctx = context.Background()

// awsConfig is a hermetic SDK configuration for the fake: static
// credentials, its region, its URL as the base endpoint, no shared files,
// no instance metadata, and the standard retryer without its backoff
// delays (attempts are what the tests count).
func awsConfig(t *testing.T, s *fakeaws.Server, region string, creds aws.CredentialsProvider) aws.Config {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(ctx,
		config.WithRegion(region),
		config.WithCredentialsProvider(creds),
		config.WithBaseEndpoint(s.URL),
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedCredentialsFiles([]string{}),
		config.WithEC2IMDSClientEnableState(imds.ClientDisabled),
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
			})
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func static(id, secret, token string) aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(id, secret, token)
}

func clients(t *testing.T, s *fakeaws.Server) (*secretsmanager.Client, *ssm.Client) {
	cfg := awsConfig(t, s, s.Region, static(fakeaws.AccessKeyID, fakeaws.SecretAccessKey, ""))
	return secretsmanager.NewFromConfig(cfg), ssm.NewFromConfig(cfg)
}

// code is an API error's code, "" for nil, the error text for another
// error.
func code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func TestGetSecretValue(t *testing.T) {
	s := fakeaws.Start(t)
	sm, _ := clients(t, s)
	v1 := s.PutSecretString("prod/openai", `{"apiKey":"sk-old"}`)
	v2 := s.PutSecretString("prod/openai", `{"apiKey":"sk-new","n":3}`)
	s.PutSecret("prod/openai", fakeaws.SecretValue{String: "pending", Stages: []string{fakeaws.StagePending, "blue"}})
	bin := []byte{0, 1, 2, 0xff, 'x'}
	s.PutSecretBinary("tls/key", bin)

	arn := s.SecretARN("prod/openai")
	if !strings.HasPrefix(arn, "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/openai-") || len(arn) != len("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/openai-")+6 {
		t.Fatalf("ARN %s", arn)
	}
	for _, c := range []struct {
		id, versionID, stage string
		want, wantVersion    string
		stages               []string
	}{
		{"prod/openai", "", "", `{"apiKey":"sk-new","n":3}`, v2, []string{"AWSCURRENT"}},
		{arn, "", "", `{"apiKey":"sk-new","n":3}`, v2, []string{"AWSCURRENT"}},
		{strings.TrimSuffix(arn, arn[len(arn)-7:]), "", "", `{"apiKey":"sk-new","n":3}`, v2, []string{"AWSCURRENT"}},
		{"prod/openai", "", "AWSPREVIOUS", `{"apiKey":"sk-old"}`, v1, []string{"AWSPREVIOUS"}},
		{"prod/openai", v1, "", `{"apiKey":"sk-old"}`, v1, []string{"AWSPREVIOUS"}},
		{"prod/openai", v2, "AWSCURRENT", `{"apiKey":"sk-new","n":3}`, v2, []string{"AWSCURRENT"}},
		{"prod/openai", "", "blue", "pending", "", []string{"AWSPENDING", "blue"}},
	} {
		in := &secretsmanager.GetSecretValueInput{SecretId: aws.String(c.id)}
		if c.versionID != "" {
			in.VersionId = aws.String(c.versionID)
		}
		if c.stage != "" {
			in.VersionStage = aws.String(c.stage)
		}
		out, err := sm.GetSecretValue(ctx, in)
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		if aws.ToString(out.SecretString) != c.want || out.SecretBinary != nil || aws.ToString(out.Name) != "prod/openai" || aws.ToString(out.ARN) != arn ||
			(c.wantVersion != "" && aws.ToString(out.VersionId) != c.wantVersion) || !slices.Equal(out.VersionStages, c.stages) || out.CreatedDate == nil {
			t.Errorf("%+v: got %q %v %s %s %v", c, aws.ToString(out.SecretString), out.SecretBinary, aws.ToString(out.VersionId), aws.ToString(out.Name), out.VersionStages)
		}
		if time.Since(*out.CreatedDate) > time.Minute {
			t.Errorf("CreatedDate %v", out.CreatedDate)
		}
	}

	out, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("tls/key")})
	if err != nil || !bytes.Equal(out.SecretBinary, bin) || out.SecretString != nil {
		t.Fatalf("binary: %v %v %v", err, out.SecretBinary, out.SecretString)
	}

	// The wire: JSON 1.1, the target, a SigV4 header scoped to the
	// region and the service.
	r, _ := s.LastRequest()
	if r.Op != fakeaws.OpGetSecretValue || r.Header.Get("X-Amz-Target") != "secretsmanager.GetSecretValue" ||
		r.Header.Get("Content-Type") != "application/x-amz-json-1.1" ||
		!strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential="+fakeaws.AccessKeyID+"/") ||
		!strings.Contains(r.Header.Get("Authorization"), "/us-east-1/secretsmanager/aws4_request, SignedHeaders=") ||
		r.Header.Get("X-Amz-Date") == "" || r.AccessKeyID != fakeaws.AccessKeyID || r.SessionToken != "" {
		t.Errorf("request %+v", r)
	}
}

func TestGetSecretValueErrors(t *testing.T) {
	s := fakeaws.Start(t)
	sm, _ := clients(t, s)
	s.PutSecretString("gone", "x")
	s.DeleteSecret("gone")
	s.PutSecretString("kms", "x")
	s.FailSecretKMS("kms")
	s.PutSecretString("denied", "x")
	s.DenySecret("denied")
	s.PutSecretString("ok", "x")

	get := func(id, version, stage string) error {
		in := &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)}
		if version != "" {
			in.VersionId = aws.String(version)
		}
		if stage != "" {
			in.VersionStage = aws.String(stage)
		}
		_, err := sm.GetSecretValue(ctx, in)
		return err
	}
	var notFound *smtypes.ResourceNotFoundException
	if err := get("missing", "", ""); !errors.As(err, &notFound) || notFound.ErrorMessage() != "Secrets Manager can't find the specified secret." {
		t.Errorf("missing: %v", err)
	}
	if err := get("ok", "", "AWSPREVIOUS"); !errors.As(err, &notFound) || !strings.Contains(notFound.ErrorMessage(), "staging label: AWSPREVIOUS") {
		t.Errorf("no previous: %v", err)
	}
	if err := get("ok", "00000000-0000-4000-8000-000000000000", ""); !errors.As(err, &notFound) {
		t.Errorf("unknown version id: %v", err)
	}
	if err := get(s.SecretARN("missing-too")[:40]+"x", "", ""); !errors.As(err, &notFound) {
		t.Errorf("unknown ARN: %v", err)
	}
	var invalid *smtypes.InvalidRequestException
	if err := get("gone", "", ""); !errors.As(err, &invalid) || !strings.Contains(invalid.ErrorMessage(), "marked for deletion") {
		t.Errorf("deleted: %v", err)
	}
	var decrypt *smtypes.DecryptionFailure
	if err := get("kms", "", ""); !errors.As(err, &decrypt) || !strings.Contains(decrypt.ErrorMessage(), "KMS") {
		t.Errorf("kms: %v", err)
	}
	if err := get("denied", "", ""); code(err) != "AccessDeniedException" || !strings.Contains(err.Error(), "is not authorized to perform: secretsmanager:GetSecretValue") {
		t.Errorf("denied: %v", err)
	}
	var internal *smtypes.InternalServiceError
	s.ServerError(fakeaws.OpGetSecretValue, 3)
	if err := get("ok", "", ""); !errors.As(err, &internal) || s.Calls(fakeaws.OpGetSecretValue) != 10 {
		t.Errorf("internal: %v after %d calls", err, s.Calls(fakeaws.OpGetSecretValue))
	}
	s.Fail(fakeaws.OpGetSecretValue, 1, fakeaws.Fault{Status: 400, Code: "InvalidParameterException", Message: "bad"})
	var param *smtypes.InvalidParameterException
	if err := get("ok", "", ""); !errors.As(err, &param) || param.ErrorMessage() != "bad" {
		t.Errorf("injected: %v", err)
	}
	if err := get("ok", "", ""); err != nil {
		t.Errorf("after the faults: %v", err)
	}
}

func TestBatchGetSecretValue(t *testing.T) {
	s := fakeaws.Start(t)
	sm, _ := clients(t, s)
	s.PutSecretString("a", "va")
	s.PutSecretBinary("b", []byte("vb"))
	s.PutSecretString("gone", "x")
	s.DeleteSecret("gone")
	s.PutSecretString("kms", "x")
	s.FailSecretKMS("kms")
	s.PutSecretString("denied", "x")
	s.DenySecret("denied")
	ids := []string{"a", s.SecretARN("b"), "missing", "gone", "kms", "denied"}
	out, err := sm.BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{SecretIdList: ids})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.SecretValues) != 2 || aws.ToString(out.SecretValues[0].SecretString) != "va" || aws.ToString(out.SecretValues[0].Name) != "a" ||
		string(out.SecretValues[1].SecretBinary) != "vb" || out.SecretValues[1].SecretString != nil || aws.ToString(out.SecretValues[1].ARN) != s.SecretARN("b") ||
		!slices.Equal(out.SecretValues[0].VersionStages, []string{"AWSCURRENT"}) || out.NextToken != nil {
		t.Errorf("values %+v", out.SecretValues)
	}
	want := map[string]string{"missing": "ResourceNotFoundException", "gone": "InvalidRequestException", "kms": "DecryptionFailure", "denied": "AccessDeniedException"}
	got := map[string]string{}
	for _, e := range out.Errors {
		got[aws.ToString(e.SecretId)] = aws.ToString(e.ErrorCode)
		if aws.ToString(e.Message) == "" {
			t.Errorf("%s: no message", aws.ToString(e.SecretId))
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("errors %v, want %v", got, want)
	}
	if c := s.CallIDs(fakeaws.OpBatchGetSecretValue); len(c) != 1 || !slices.Equal(c[0], ids) {
		t.Errorf("recorded %v", c)
	}

	// A secret asked by name and by ARN is answered for each.
	out, err = sm.BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{SecretIdList: []string{"a", s.SecretARN("a")}})
	if err != nil || len(out.SecretValues) != 2 || aws.ToString(out.SecretValues[1].Name) != "a" || len(out.Errors) != 0 {
		t.Errorf("name and ARN: %v %+v", err, out)
	}

	// At most 20 ids per call.
	many := make([]string, 21)
	for i := range many {
		many[i] = fmt.Sprintf("s%d", i)
	}
	if _, err := sm.BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{SecretIdList: many}); code(err) != "ValidationException" ||
		!strings.Contains(err.Error(), "Member must have length less than or equal to 20") {
		t.Errorf("21 ids: %v", err)
	}
	if _, err := sm.BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{SecretIdList: many[:20]}); err != nil {
		t.Errorf("20 ids: %v", err)
	}
}

func TestGetParameters(t *testing.T) {
	s := fakeaws.Start(t)
	_, ps := clients(t, s)
	s.PutParameter("/prod/openai/apiKey", fakeaws.TypeSecureString, "sk-1")
	s.PutParameter("/prod/openai/apiKey", fakeaws.TypeSecureString, "sk-2")
	s.PutParameter("/prod/openai/apiKey", fakeaws.TypeSecureString, "sk-3")
	s.LabelParameterVersion("/prod/openai/apiKey", 2, "stable")
	s.PutParameter("plain", fakeaws.TypeString, "hello")
	s.PutParameter("/list", fakeaws.TypeStringList, "a,b,c")

	names := []string{"/prod/openai/apiKey", "/prod/openai/apiKey:1", "/prod/openai/apiKey:stable", "plain", "/list",
		s.ParameterARN("/prod/openai/apiKey") + ":1", "/missing", "/prod/openai/apiKey:9", "/prod/openai/apiKey:nolabel"}
	out, err := ps.GetParameters(ctx, &ssm.GetParametersInput{Names: names, WithDecryption: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		name, typ, value, selector string
		version                    int64
	}
	var values []got
	for _, p := range out.Parameters {
		values = append(values, got{aws.ToString(p.Name), string(p.Type), aws.ToString(p.Value), aws.ToString(p.Selector), p.Version})
		if aws.ToString(p.ARN) != s.ParameterARN(aws.ToString(p.Name)) || p.LastModifiedDate == nil {
			t.Errorf("%s: ARN %s", aws.ToString(p.Name), aws.ToString(p.ARN))
		}
	}
	want := []got{
		{"/prod/openai/apiKey", "SecureString", "sk-3", "", 3},
		{"/prod/openai/apiKey", "SecureString", "sk-1", ":1", 1},
		{"/prod/openai/apiKey", "SecureString", "sk-2", ":stable", 2},
		{"plain", "String", "hello", "", 1},
		{"/list", "StringList", "a,b,c", "", 1},
		{"/prod/openai/apiKey", "SecureString", "sk-1", ":1", 1},
	}
	if !slices.Equal(values, want) {
		t.Errorf("parameters\n got %v\nwant %v", values, want)
	}
	if !slices.Equal(out.InvalidParameters, []string{"/missing", "/prod/openai/apiKey:9", "/prod/openai/apiKey:nolabel"}) {
		t.Errorf("invalid %v", out.InvalidParameters)
	}
	if s.ParameterARN("/prod/x") != "arn:aws:ssm:us-east-1:123456789012:parameter/prod/x" || s.ParameterARN("x") != "arn:aws:ssm:us-east-1:123456789012:parameter/x" {
		t.Errorf("ARN %s", s.ParameterARN("/prod/x"))
	}
	r, _ := s.LastRequest()
	if r.Header.Get("X-Amz-Target") != "AmazonSSM.GetParameters" || !strings.Contains(r.Header.Get("Authorization"), "/us-east-1/ssm/aws4_request") || !r.WithDecryption {
		t.Errorf("request %+v", r)
	}

	// Without decryption a SecureString is its ciphertext.
	out, err = ps.GetParameters(ctx, &ssm.GetParametersInput{Names: []string{"/prod/openai/apiKey"}})
	if err != nil || len(out.Parameters) != 1 || strings.Contains(aws.ToString(out.Parameters[0].Value), "sk-") || aws.ToString(out.Parameters[0].Value) == "" {
		t.Errorf("no decryption: %v %+v", err, out)
	}

	// At most 10 names per call.
	many := make([]string, 11)
	for i := range many {
		many[i] = fmt.Sprintf("/p%d", i)
	}
	var ve *ssmtypes.ValidationException
	if _, err := ps.GetParameters(ctx, &ssm.GetParametersInput{Names: many}); !errors.As(err, &ve) || !strings.Contains(ve.ErrorMessage(), "less than or equal to 10") {
		t.Errorf("11 names: %v", err)
	}
	if out, err := ps.GetParameters(ctx, &ssm.GetParametersInput{Names: many[:10]}); err != nil || len(out.InvalidParameters) != 10 {
		t.Errorf("10 names: %v", err)
	}

	// Whole-call failures: a denied name, a KMS failure when decrypting.
	s.PutParameter("/denied", fakeaws.TypeString, "x")
	s.DenyParameter("/denied")
	var ad *ssmtypes.AccessDeniedException
	if _, err := ps.GetParameters(ctx, &ssm.GetParametersInput{Names: []string{"plain", "/denied"}}); !errors.As(err, &ad) || !strings.Contains(ad.ErrorMessage(), "ssm:GetParameters") {
		t.Errorf("denied: %v", err)
	}
	s.PutParameter("/kms", fakeaws.TypeSecureString, "x")
	s.FailParameterKMS("/kms")
	var kms *ssmtypes.InvalidKeyId
	if _, err := ps.GetParameters(ctx, &ssm.GetParametersInput{Names: []string{"plain", "/kms"}, WithDecryption: aws.Bool(true)}); !errors.As(err, &kms) || !strings.Contains(kms.ErrorMessage(), "AWSKMS") {
		t.Errorf("kms: %v", err)
	}
	if _, err := ps.GetParameters(ctx, &ssm.GetParametersInput{Names: []string{"/kms"}, WithDecryption: aws.Bool(false)}); err != nil {
		t.Errorf("kms without decryption: %v", err)
	}
}

func TestGetParameter(t *testing.T) {
	s := fakeaws.Start(t)
	_, ps := clients(t, s)
	s.PutParameter("/a", fakeaws.TypeSecureString, "one")
	s.PutParameter("/a", fakeaws.TypeSecureString, "two")
	out, err := ps.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/a:1"), WithDecryption: aws.Bool(true)})
	if err != nil || aws.ToString(out.Parameter.Value) != "one" || out.Parameter.Version != 1 || aws.ToString(out.Parameter.Selector) != ":1" {
		t.Fatalf("%v %+v", err, out)
	}
	var nf *ssmtypes.ParameterNotFound
	if _, err := ps.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/b")}); !errors.As(err, &nf) {
		t.Errorf("missing: %v", err)
	}
	var vnf *ssmtypes.ParameterVersionNotFound
	if _, err := ps.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/a:7")}); !errors.As(err, &vnf) || !strings.Contains(vnf.ErrorMessage(), "version 7") {
		t.Errorf("missing version: %v", err)
	}
	if _, err := ps.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/a:nolabel")}); !errors.As(err, &nf) {
		t.Errorf("missing label: %v", err)
	}
}

// The standard retryer retries ThrottlingException and 5xx; the fake
// counts every attempt.
func TestThrottling(t *testing.T) {
	s := fakeaws.Start(t)
	sm, ps := clients(t, s)
	s.PutSecretString("a", "va")
	s.PutParameter("/p", fakeaws.TypeString, "vp")

	s.Throttle(fakeaws.OpBatchGetSecretValue, 2)
	out, err := sm.BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{SecretIdList: []string{"a"}})
	if err != nil || len(out.SecretValues) != 1 || s.Calls(fakeaws.OpBatchGetSecretValue) != 3 {
		t.Fatalf("retried: %v after %d calls", err, s.Calls(fakeaws.OpBatchGetSecretValue))
	}
	s.Throttle(fakeaws.OpGetParameters, -1)
	_, err = ps.GetParameters(ctx, &ssm.GetParametersInput{Names: []string{"/p"}})
	var te *ssmtypes.ThrottlingException
	var maxAttempts *retry.MaxAttemptsError
	if !errors.As(err, &te) || !errors.As(err, &maxAttempts) || s.Calls(fakeaws.OpGetParameters) != 3 {
		t.Fatalf("persistent: %v after %d calls", err, s.Calls(fakeaws.OpGetParameters))
	}
	reqs := s.Requests()
	if last := reqs[len(reqs)-1]; last.Status != 400 || last.ErrorCode != "ThrottlingException" {
		t.Errorf("recorded %+v", last)
	}
	s.ClearFaults()
	if _, err := ps.GetParameters(ctx, &ssm.GetParametersInput{Names: []string{"/p"}}); err != nil {
		t.Fatal(err)
	}
	s.ServerError(fakeaws.OpGetParameters, 1)
	if _, err := ps.GetParameters(ctx, &ssm.GetParametersInput{Names: []string{"/p"}}); err != nil {
		t.Fatalf("one 500 is retried: %v", err)
	}
}

func TestAuthentication(t *testing.T) {
	s := fakeaws.Start(t)
	s.PutSecretString("a", "va")
	get := func(region string, creds aws.CredentialsProvider) error {
		sm := secretsmanager.NewFromConfig(awsConfig(t, s, region, creds))
		_, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("a")})
		return err
	}
	if err := get("us-east-1", static(fakeaws.AccessKeyID, fakeaws.SecretAccessKey, "")); err != nil {
		t.Fatal(err)
	}
	s.AddSessionKey("ASIATEMP000000000001", "tempsecret", "tok")
	s.AddSessionKey("ASIAEXPIRED000000001", "tempsecret", "tok")
	s.ExpireKey("ASIAEXPIRED000000001")
	for _, c := range []struct {
		name, region, id, secret, token, want string
	}{
		{"unknown key", "us-east-1", "AKIAUNKNOWN000000000", "x", "", "UnrecognizedClientException"},
		{"wrong secret", "us-east-1", fakeaws.AccessKeyID, "wrong", "", "InvalidSignatureException"},
		{"wrong region", "eu-west-1", fakeaws.AccessKeyID, fakeaws.SecretAccessKey, "", "InvalidSignatureException"},
		{"long-term key with a token", "us-east-1", fakeaws.AccessKeyID, fakeaws.SecretAccessKey, "tok", "UnrecognizedClientException"},
		{"temporary key without its token", "us-east-1", "ASIATEMP000000000001", "tempsecret", "", "UnrecognizedClientException"},
		{"temporary key with another token", "us-east-1", "ASIATEMP000000000001", "tempsecret", "other", "UnrecognizedClientException"},
		{"expired", "us-east-1", "ASIAEXPIRED000000001", "tempsecret", "tok", "ExpiredTokenException"},
		{"temporary key", "us-east-1", "ASIATEMP000000000001", "tempsecret", "tok", ""},
	} {
		if err := get(c.region, static(c.id, c.secret, c.token)); code(err) != c.want {
			t.Errorf("%s: %v, want %s", c.name, err, c.want)
		}
	}
	r, _ := s.LastRequest()
	if r.SessionToken != "tok" || r.AccessKeyID != "ASIATEMP000000000001" {
		t.Errorf("session request %+v", r)
	}

	// The raw protocol: no signature, a signature for another service, an
	// unknown operation, the wrong content type.
	post := func(target, contentType, auth string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, s.URL, strings.NewReader(`{"SecretId":"a"}`))
		req.Header.Set("X-Amz-Target", target)
		req.Header.Set("Content-Type", contentType)
		if auth != "" {
			req.Header.Set("Authorization", auth)
			req.Header.Set("X-Amz-Date", time.Now().UTC().Format("20060102T150405Z"))
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.Header.Get("Content-Type") != "application/x-amz-json-1.1" {
			t.Errorf("content type %q", resp.Header.Get("Content-Type"))
		}
		return resp.StatusCode, string(body)
	}
	day := time.Now().UTC().Format("20060102")
	other := "AWS4-HMAC-SHA256 Credential=" + fakeaws.AccessKeyID + "/" + day + "/us-east-1/ssm/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"
	for _, c := range []struct{ target, ct, auth, want string }{
		{"secretsmanager.GetSecretValue", "application/x-amz-json-1.1", "", `"__type":"MissingAuthenticationTokenException"`},
		{"secretsmanager.GetSecretValue", "application/x-amz-json-1.1", "AWS4-HMAC-SHA256 junk", `"__type":"IncompleteSignatureException"`},
		{"secretsmanager.GetSecretValue", "application/x-amz-json-1.1", other, `Credential should be scoped to correct service: 'secretsmanager'`},
		{"secretsmanager.DeleteSecret", "application/x-amz-json-1.1", other, `"__type":"UnknownOperationException"`},
		{"secretsmanager.GetSecretValue", "application/json", other, `"__type":"SerializationException"`},
	} {
		if status, body := post(c.target, c.ct, c.auth); status < 400 || !strings.Contains(body, c.want) {
			t.Errorf("%+v: %d %s", c, status, body)
		}
	}
	if n := s.Calls(fakeaws.OpGetSecretValue); n != 2 {
		t.Errorf("%d calls recorded; refused ones must not be", n)
	}

	// What is not an AWS API call is refused and listed.
	resp, err := http.Get(s.URL + "/latest/meta-data/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 || !slices.Equal(s.Stray(), []string{"GET /latest/meta-data/"}) {
		t.Errorf("stray: %d %v", resp.StatusCode, s.Stray())
	}
}

func TestAssumeRole(t *testing.T) {
	s := fakeaws.Start(t)
	s.PutSecretString("a", "va")
	s.PutParameter("/p", fakeaws.TypeString, "vp")
	role := fakeaws.RoleARN("reader")
	s.AddRole(role, "ext-123")
	s.RequireRole(role)

	base := awsConfig(t, s, s.Region, static(fakeaws.AccessKeyID, fakeaws.SecretAccessKey, ""))
	// The base credentials may not read.
	if _, err := secretsmanager.NewFromConfig(base).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("a")}); code(err) != "AccessDeniedException" {
		t.Fatalf("base credentials: %v", err)
	}

	stsClient := sts.NewFromConfig(base)
	// A refused AssumeRole: wrong external id, unknown role.
	for _, c := range []struct{ role, ext string }{{role, "wrong"}, {role, ""}, {fakeaws.RoleARN("other"), "ext-123"}} {
		_, err := stsClient.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(c.role), RoleSessionName: aws.String("s1"), ExternalId: aws.String(c.ext)})
		if code(err) != "AccessDenied" || !strings.Contains(err.Error(), "sts:AssumeRole") {
			t.Errorf("%+v: %v", c, err)
		}
	}
	if _, err := stsClient.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("bad name")}); code(err) != "ValidationError" {
		t.Errorf("bad session name: %v", err)
	}

	// The SDK's own assume-role provider, as a resolver uses it.
	provider := stscreds.NewAssumeRoleProvider(stsClient, role, func(o *stscreds.AssumeRoleOptions) {
		o.ExternalID = aws.String("ext-123")
		o.RoleSessionName = "openclaw-aws-resolver"
	})
	cfg := base.Copy()
	cfg.Credentials = aws.NewCredentialsCache(provider)
	out, err := secretsmanager.NewFromConfig(cfg).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("a")})
	if err != nil || aws.ToString(out.SecretString) != "va" {
		t.Fatalf("with the role: %v", err)
	}
	if _, err := ssm.NewFromConfig(cfg).GetParameters(ctx, &ssm.GetParametersInput{Names: []string{"/p"}}); err != nil {
		t.Fatalf("ssm with the role: %v", err)
	}
	calls := s.AssumeRoleCalls()
	last := calls[len(calls)-1]
	if last.RoleArn != role || last.ExternalID != "ext-123" || last.RoleSessionName != "openclaw-aws-resolver" || last.CallerAccessKeyID != fakeaws.AccessKeyID || last.IssuedAccessKeyID == "" {
		t.Fatalf("AssumeRole call %+v", last)
	}
	reqs := s.Requests()
	for _, r := range reqs[len(reqs)-2:] {
		if r.AccessKeyID != last.IssuedAccessKeyID || r.SessionToken == "" || r.Status != 200 {
			t.Errorf("%s used %s (token %v), want the role's %s", r.Op, r.AccessKeyID, r.SessionToken != "", last.IssuedAccessKeyID)
		}
		if got, ok := s.IssuedKey(r.AccessKeyID); !ok || got != role {
			t.Errorf("IssuedKey %q %v", got, ok)
		}
	}
	stsReq := reqs[len(reqs)-3]
	if stsReq.Op != fakeaws.OpAssumeRole || !strings.Contains(stsReq.Header.Get("Authorization"), "/us-east-1/sts/aws4_request") ||
		stsReq.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("STS request %+v", stsReq)
	}

	// Throttled and failing STS answers have the query protocol's shape.
	s.Throttle(fakeaws.OpAssumeRole, -1)
	if _, err := stsClient.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("s1"), ExternalId: aws.String("ext-123")}); code(err) != "Throttling" {
		t.Errorf("throttled: %v", err)
	}
	s.ClearFaults()
	s.AddKey("AKIASTSCHECK00000001", "right")
	bad := sts.NewFromConfig(awsConfig(t, s, s.Region, static("AKIASTSCHECK00000001", "wrong", "")))
	if _, err := bad.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("s1")}); code(err) != "SignatureDoesNotMatch" {
		t.Errorf("bad signature: %v", err)
	}
	unknown := sts.NewFromConfig(awsConfig(t, s, s.Region, static("AKIANOTKNOWN00000001", "x", "")))
	if _, err := unknown.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("s1")}); code(err) != "InvalidClientTokenId" {
		t.Errorf("unknown key: %v", err)
	}
	s.ExpireKey(last.IssuedAccessKeyID)
	cfg2 := base.Copy()
	cfg2.Credentials = static(last.IssuedAccessKeyID, "irrelevant", "irrelevant")
	var expired *smithy.GenericAPIError
	if _, err := secretsmanager.NewFromConfig(cfg2).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("a")}); !errors.As(err, &expired) || expired.Code != "UnrecognizedClientException" {
		t.Errorf("issued key with the wrong token: %v", err)
	}
}

// Latency makes calls overlap; the fake measures the peak.
func TestMaxInFlight(t *testing.T) {
	s := fakeaws.Start(t)
	sm, _ := clients(t, s)
	s.PutSecretString("a", "va")
	s.SetLatency(100 * time.Millisecond)
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("a")}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := s.MaxInFlight(); n != 6 {
		t.Errorf("peak %d, want 6", n)
	}
	s.Reset()
	if s.MaxInFlight() != 0 || len(s.Requests()) != 0 {
		t.Error("Reset kept records")
	}

	// A slow id holds the calls that name it, until the caller gives up.
	s.SetLatency(0)
	s.PutSecretString("slow", "vs")
	s.SlowID("slow", time.Minute)
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := sm.GetSecretValue(short, &secretsmanager.GetSecretValueInput{SecretId: aws.String("slow")})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Errorf("slow: %v after %v", err, time.Since(start))
	}
	if _, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("a")}); err != nil {
		t.Errorf("another id: %v", err)
	}
}

// A closed server refuses connections, as an endpoint that is down.
func TestClosed(t *testing.T) {
	s := fakeaws.New(fakeaws.DefaultRegion)
	sm, _ := clients(t, s)
	s.Close()
	_, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("a")})
	if err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("%v", err)
	}
}

// SetSessionLifetime shortens the sessions AssumeRole issues: the answer's
// Expiration says when, the key works until then and is refused with
// ExpiredTokenException from then on.
func TestSessionLifetime(t *testing.T) {
	t.Parallel()
	s := fakeaws.Start(t)
	s.PutSecretString("a", "va")
	role := fakeaws.RoleARN("reader")
	s.AddRole(role, "")
	s.SetSessionLifetime(2 * time.Second)
	base := awsConfig(t, s, s.Region, static(fakeaws.AccessKeyID, fakeaws.SecretAccessKey, ""))
	out, err := sts.NewFromConfig(base).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("s1")})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	exp := aws.ToTime(c.Expiration)
	if left := time.Until(exp); left <= 0 || left > 2*time.Second {
		t.Fatalf("Expiration in %s, want within 2s", left)
	}
	if calls := s.AssumeRoleCalls(); len(calls) != 1 || !calls[0].Expiration.Equal(exp) {
		t.Errorf("AssumeRoleCalls %+v, want one with Expiration %s", calls, exp)
	}
	cfg := base.Copy()
	cfg.Credentials = static(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
	sm := secretsmanager.NewFromConfig(cfg)
	get := func() error {
		_, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("a")})
		return err
	}
	if err := get(); err != nil {
		t.Fatalf("before its Expiration: %v", err)
	}
	time.Sleep(time.Until(exp) + 10*time.Millisecond)
	if err := get(); code(err) != "ExpiredTokenException" {
		t.Errorf("after its Expiration: %v", err)
	}

	s.SetSessionLifetime(0)
	out, err = sts.NewFromConfig(base).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("s1")})
	if err != nil || time.Until(aws.ToTime(out.Credentials.Expiration)) < 59*time.Minute {
		t.Errorf("lifetime back to the duration asked: %v, %v", out, err)
	}
}
