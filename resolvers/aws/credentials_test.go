package aws_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/resolvers/aws/internal/fakeaws"
	"github.com/execref/execref/sdk"
)

// --role-arn assumes the role through STS at the same endpoint, with the
// external id and session name given, and every Secrets Manager and SSM
// call is signed with the temporary credentials (the only ones the fake
// then lets read).
func TestAssumeRole(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	seed(w.fake)
	role := fakeaws.RoleARN("openclaw-reader")
	w.fake.AddRole(role, "ext-7f3a")
	w.fake.RequireRole(role)

	// Without the role, the base credentials may not read.
	res := resolve(t, w.provider(nil), "sm:plain/token")
	checkCodes(t, res, map[string]protocol.Code{"sm:plain/token": protocol.PermissionDenied}, nil)

	w.fake.Reset()
	p := w.provider(nil, "--role-arn", role, "--external-id", "ext-7f3a", "--role-session-name", "gw-session-1")
	res = resolve(t, p, "sm:plain/token", "sm:prod/openai::AWSPREVIOUS#apiKey", "ssm:/prod/db/url", "ssm:/prod/openai/apiKey")
	checkValues(t, res, map[string]string{"sm:plain/token": "tok-ABC-plain", "sm:prod/openai::AWSPREVIOUS#apiKey": "sk-old-000",
		"ssm:/prod/db/url": "postgres://app:pw@db:5432/app?sslmode=require", "ssm:/prod/openai/apiKey": "ssm-v3"})

	calls := w.fake.AssumeRoleCalls()
	if len(calls) != 1 {
		t.Fatalf("%d AssumeRole calls, want 1: %+v", len(calls), calls)
	}
	c := calls[0]
	if c.RoleArn != role || c.ExternalID != "ext-7f3a" || c.RoleSessionName != "gw-session-1" || c.CallerAccessKeyID != fakeaws.AccessKeyID || c.IssuedAccessKeyID == "" {
		t.Errorf("AssumeRole %+v", c)
	}
	data := 0
	for _, r := range w.fake.Requests() {
		if r.Op == fakeaws.OpAssumeRole {
			continue
		}
		data++
		if r.AccessKeyID != c.IssuedAccessKeyID || r.SessionToken == "" || r.Status != 200 {
			t.Errorf("%s signed with %s (session token: %v), status %d; want the role's %s", r.Op, r.AccessKeyID, r.SessionToken != "", r.Status, c.IssuedAccessKeyID)
		}
	}
	if data != 3 {
		t.Errorf("%d data calls, want 3", data)
	}

	// The default session name.
	w.fake.Reset()
	resolve(t, w.provider(nil, "--role-arn", role, "--external-id", "ext-7f3a"), "sm:plain/token")
	if calls := w.fake.AssumeRoleCalls(); len(calls) != 1 || calls[0].RoleSessionName != "openclaw-aws-resolver" {
		t.Errorf("default session name: %+v", calls)
	}
}

// A role AWS will not let the credentials assume fails the whole provider
// with 77, before any read.
func TestAssumeRoleRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	seed(w.fake)
	role := fakeaws.RoleARN("openclaw-reader")
	w.fake.AddRole(role, "ext-7f3a")
	for name, args := range map[string][]string{
		"wrong external id":   {"--role-arn", role, "--external-id", "nope"},
		"missing external id": {"--role-arn", role},
		"unknown role":        {"--role-arn", fakeaws.RoleARN("other"), "--external-id", "ext-7f3a"},
	} {
		t.Run(name, func(t *testing.T) {
			fails(t, w.provider(nil, args...), sdk.ExitNoPerm, nil, "sm:plain/token", "ssm:/prod/db/url")
		})
	}
	for _, r := range w.fake.Requests() {
		if r.Op != fakeaws.OpAssumeRole {
			t.Errorf("a %s call after AssumeRole was refused", r.Op)
		}
	}
}

// profileFiles writes a shared config and credentials file, 0600 in a
// directory of their own.
func profileFiles(t *testing.T, config, credentials string) (string, string) {
	dir := t.TempDir()
	cfg, creds := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(creds, []byte(credentials), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg, creds
}

// --profile (or AWS_PROFILE) reads the key and region from
// AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE.
func TestProfile(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	seed(w.fake)
	const keyID, secret = "AKIAPROFILE000000001", "profile/secret/key/0000000000000000000000"
	w.fake.AddKey(keyID, secret)
	cfg, creds := profileFiles(t,
		"[default]\nregion = eu-west-1\n\n[profile team]\nregion = "+w.fake.Region+"\n\n[profile noregion]\n",
		"[team]\naws_access_key_id = "+keyID+"\naws_secret_access_key = "+secret+"\n\n[noregion]\naws_access_key_id = "+keyID+"\naws_secret_access_key = "+secret+"\n")
	env := map[string]string{
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_REGION": "",
		"AWS_CONFIG_FILE": cfg, "AWS_SHARED_CREDENTIALS_FILE": creds,
	}
	check := func(name string, p map[string]string, args ...string) {
		t.Helper()
		w.fake.Reset()
		res := resolve(t, w.provider(p, args...), "sm:plain/token", "ssm:/prod/list")
		checkValues(t, res, map[string]string{"sm:plain/token": "tok-ABC-plain", "ssm:/prod/list": "a,b,c"})
		for _, r := range w.fake.Requests() {
			if r.AccessKeyID != keyID {
				t.Errorf("%s: %s signed with %s, want the profile's key", name, r.Op, r.AccessKeyID)
			}
		}
	}
	check("--profile", env, "--profile", "team")
	withEnv := map[string]string{"AWS_PROFILE": "team"}
	for k, v := range env {
		withEnv[k] = v
	}
	check("AWS_PROFILE", withEnv)

	// A profile without a region, and none elsewhere: 78.
	fails(t, w.provider(env, "--profile", "noregion"), sdk.ExitConfig, []string{"AWS_REGION", "--region"}, "sm:plain/token")
	// A profile that does not exist: 78, naming it.
	fails(t, w.provider(env, "--profile", "nosuchprofile"), sdk.ExitConfig, []string{"nosuchprofile"}, "sm:plain/token")
}
