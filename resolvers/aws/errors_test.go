package aws_test

import (
	"net"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/aws/internal/fakeaws"
	"github.com/execref/execref/sdk"
)

// failing seeds the secrets and parameters AWS refuses in each way.
func failing(f *fakeaws.Server) {
	f.PutSecretString("gone", `{"k":"deleted-value"}`)
	f.DeleteSecret("gone")
	f.PutSecretString("denied", `{"k":"denied-value"}`)
	f.DenySecret("denied")
	f.PutSecretString("kms", `{"k":"kms-value"}`)
	f.FailSecretKMS("kms")
	f.PutParameter("/denied", fakeaws.TypeSecureString, "denied-param")
	f.DenyParameter("/denied")
	f.PutParameter("/kms", fakeaws.TypeSecureString, "kms-param")
	f.FailParameterKMS("/kms")
}

var failingValues = []string{"deleted-value", "denied-value", "kms-value", "denied-param", "kms-param"}

// Each AWS refusal of one secret or parameter becomes that id's code,
// through each kind of call: BatchGetSecretValue's Errors entries,
// GetSecretValue's exceptions, GetParameters' InvalidParameters. The
// other ids of the batch resolve.
func TestPerIDErrors(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	s := seed(w.fake)
	failing(w.fake)
	want := map[string]protocol.Code{
		// BatchGetSecretValue
		"sm:missing":    protocol.NotFound,
		"sm:gone":       protocol.NotFound,
		"sm:gone#k":     protocol.NotFound,
		"sm:denied":     protocol.PermissionDenied,
		"sm:denied#k":   protocol.PermissionDenied,
		"sm:kms#k":      protocol.PermissionDenied,
		"smb:missing/b": protocol.NotFound,
		// GetSecretValue
		"sm:missing::AWSCURRENT":                               protocol.NotFound,
		"sm:gone::AWSCURRENT":                                  protocol.NotFound,
		"sm:denied::AWSCURRENT#k":                              protocol.PermissionDenied,
		"sm:kms::AWSCURRENT":                                   protocol.PermissionDenied,
		"sm:plain/token::AWSPREVIOUS":                          protocol.NotFound,
		"sm:plain/token::NOSUCHSTAGE":                          protocol.NotFound,
		"sm:prod/openai::00000000-0000-4000-8000-000000000000": protocol.NotFound,
		// GetParameters
		"ssm:/missing":                     protocol.NotFound,
		"ssm:/prod/openai/apiKey:9":        protocol.NotFound,
		"ssm:/prod/openai/apiKey:nolabel":  protocol.NotFound,
		"ssm:/missing#key":                 protocol.NotFound,
		"ssm:" + w.fake.ParameterARN("/x"): protocol.NotFound,
	}
	fragments := map[string][]string{
		"sm:gone":             {"deleted"},
		"sm:gone::AWSCURRENT": {"deleted"},
		"sm:kms#k":            {"KMS"},
		"sm:kms::AWSCURRENT":  {"KMS"},
	}
	good := map[string]string{"sm:plain/token": "tok-ABC-plain", "sm:prod/openai#apiKey": "sk-live-123", "ssm:/prod/db/url": "postgres://app:pw@db:5432/app?sslmode=require"}
	ids := []string{}
	for id := range want {
		ids = append(ids, id)
	}
	for id := range good {
		ids = append(ids, id)
	}
	o := exec(t, w.provider(nil), append(s.secrets, failingValues...), ids...)
	if o.run.ExitCode != 0 {
		t.Fatalf("exit %d: %s", o.run.ExitCode, o.run.Stderr)
	}
	checkCodes(t, o.resp, want, fragments)
	checkValues(t, o.resp, good)
}

// SSM refuses a whole GetParameters call when one of its names is denied
// or cannot be decrypted. Alone in a batch, such a parameter gets
// PERMISSION_DENIED (KMS named for a key failure).
func TestSSMWholeCallRefusals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	failing(w.fake)
	res := resolve(t, w.provider(nil), "ssm:/denied")
	checkCodes(t, res, map[string]protocol.Code{"ssm:/denied": protocol.PermissionDenied}, nil)
	res = resolve(t, w.provider(nil), "ssm:/kms", "ssm:/kms#key")
	checkCodes(t, res, map[string]protocol.Code{"ssm:/kms": protocol.PermissionDenied, "ssm:/kms#key": protocol.PermissionDenied},
		map[string][]string{"ssm:/kms": {"KMS"}})
}

// One denied or undecryptable parameter must not take the other
// parameters of its GetParameters call down with it: per the protocol a
// per-id problem stays with its id.
func TestSSMRefusalSparesBatchMates(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	seed(w.fake)
	failing(w.fake)
	res := resolve(t, w.provider(nil), "ssm:/denied", "ssm:/kms", "ssm:/prod/db/url", "ssm:/prod/list", "ssm:/missing")
	checkCodes(t, res, map[string]protocol.Code{
		"ssm:/denied": protocol.PermissionDenied, "ssm:/kms": protocol.PermissionDenied, "ssm:/missing": protocol.NotFound,
	}, map[string][]string{"ssm:/kms": {"KMS"}})
	checkValues(t, res, map[string]string{"ssm:/prod/db/url": "postgres://app:pw@db:5432/app?sslmode=require", "ssm:/prod/list": "a,b,c"})
}

// Throttling is retried by the SDK's retryer, inside the (default)
// deadline.
func TestThrottlingRetried(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	seed(w.fake)
	w.fake.Throttle(fakeaws.OpBatchGetSecretValue, 2)
	w.fake.Throttle(fakeaws.OpGetSecretValue, 1)
	w.fake.Throttle(fakeaws.OpGetParameters, 2)
	res := resolve(t, w.provider(nil), "sm:plain/token", "sm:prod/openai::AWSPREVIOUS#apiKey", "ssm:/prod/db/url")
	checkValues(t, res, map[string]string{"sm:plain/token": "tok-ABC-plain", "sm:prod/openai::AWSPREVIOUS#apiKey": "sk-old-000",
		"ssm:/prod/db/url": "postgres://app:pw@db:5432/app?sslmode=require"})
	for op, n := range map[string]int{fakeaws.OpBatchGetSecretValue: 3, fakeaws.OpGetSecretValue: 2, fakeaws.OpGetParameters: 3} {
		if got := w.fake.Calls(op); got != n {
			t.Errorf("%s: %d calls, want %d (throttled ones retried)", op, got, n)
		}
	}
}

// Throttling that outlasts the retries is RATE_LIMITED, server errors
// that do are UNAVAILABLE, within the default deadline, for every kind of
// call. The run itself succeeds (exit 0).
func TestPersistentThrottlingAndServerErrors(t *testing.T) {
	t.Parallel()
	ops := []string{fakeaws.OpBatchGetSecretValue, fakeaws.OpGetSecretValue, fakeaws.OpGetParameters}
	for name, c := range map[string]struct {
		inject func(f *fakeaws.Server, op string)
		code   protocol.Code
	}{
		"throttling":    {func(f *fakeaws.Server, op string) { f.Throttle(op, -1) }, protocol.RateLimited},
		"server errors": {func(f *fakeaws.Server, op string) { f.ServerError(op, -1) }, protocol.Unavailable},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			seed(w.fake)
			for _, op := range ops {
				c.inject(w.fake, op)
			}
			o := exec(t, w.provider(nil), nil, "sm:plain/token", "sm:prod/openai::AWSPREVIOUS#apiKey", "ssm:/prod/db/url")
			if o.run.ExitCode != 0 {
				t.Fatalf("exit %d: %s", o.run.ExitCode, o.run.Stderr)
			}
			checkCodes(t, o.resp, map[string]protocol.Code{
				"sm:plain/token": c.code, "sm:prod/openai::AWSPREVIOUS#apiKey": c.code, "ssm:/prod/db/url": c.code,
			}, nil)
			for _, op := range ops {
				if n := w.fake.Calls(op); n < 2 {
					t.Errorf("%s: %d calls, want retries", op, n)
				}
			}
		})
	}
}

func TestNoRegion(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	fails(t, w.provider(map[string]string{"AWS_REGION": ""}), sdk.ExitConfig, []string{"AWS_REGION", "--region"}, "sm:plain/token")
	if n := len(w.fake.Requests()); n != 0 {
		t.Errorf("%d calls without a region", n)
	}
}

// The region comes from --region, then AWS_REGION, then
// AWS_DEFAULT_REGION (the fake accepts only its own).
func TestRegionSources(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	seed(w.fake)
	for name, p := range map[string]map[string]string{
		"--region over AWS_REGION": {"AWS_REGION": "eu-west-1"},
		"AWS_DEFAULT_REGION":       {"AWS_REGION": "", "AWS_DEFAULT_REGION": w.fake.Region},
	} {
		args := []string{}
		if name == "--region over AWS_REGION" {
			args = []string{"--region", w.fake.Region}
		}
		res, err := gatewayResolve(t.Context(), w.provider(p, args...), []string{"sm:plain/token"})
		if err != nil || res["sm:plain/token"].Value != "tok-ABC-plain" {
			t.Errorf("%s: %v %v", name, err, res["sm:plain/token"].Err)
		}
	}
}

func TestNoCredentials(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.provider(map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""})
	fails(t, p, sdk.ExitConfig, []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "HOME",
		"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE"}, "sm:plain/token")
	// Half a key pair is no key.
	p = w.provider(map[string]string{"AWS_SECRET_ACCESS_KEY": ""})
	fails(t, p, sdk.ExitConfig, []string{"AWS_SECRET_ACCESS_KEY"}, "sm:plain/token")
	if n := len(w.fake.Requests()); n != 0 {
		t.Errorf("%d calls without credentials", n)
	}
}

// Credentials AWS rejects fail the whole provider with 77, whichever
// service refused them.
func TestRejectedCredentials(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	seed(w.fake)
	w.fake.AddSessionKey("ASIAEXPIRED000000001", "expired-secret", "expired-token")
	w.fake.ExpireKey("ASIAEXPIRED000000001")
	cases := map[string]map[string]string{
		"unknown key (UnrecognizedClientException)":  {"AWS_ACCESS_KEY_ID": "AKIAUNKNOWN000000001"},
		"wrong secret (InvalidSignatureException)":   {"AWS_SECRET_ACCESS_KEY": "not-the-secret"},
		"expired session (ExpiredTokenException)":    {"AWS_ACCESS_KEY_ID": "ASIAEXPIRED000000001", "AWS_SECRET_ACCESS_KEY": "expired-secret", "AWS_SESSION_TOKEN": "expired-token"},
		"token with a long-term key (invalid token)": {"AWS_SESSION_TOKEN": "stray-token"},
	}
	for name, env := range cases {
		for _, ids := range [][]string{{"sm:plain/token"}, {"ssm:/prod/db/url"}, {"sm:plain/token", "sm:prod/openai::AWSPREVIOUS", "ssm:/prod/db/url"}} {
			t.Run(name, func(t *testing.T) {
				fails(t, w.provider(env), sdk.ExitNoPerm, nil, ids...)
			})
		}
	}
}

// An endpoint that does not answer at all fails the whole provider with
// 69.
func TestEndpointDown(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + l.Addr().String()
	l.Close()
	p := w.provider(nil)
	p.Args = []string{"--endpoint-url", down}
	fails(t, p, sdk.ExitUnavailable, nil, "sm:plain/token", "ssm:/prod/db/url", "sm:a::AWSPREVIOUS")
}
