package aws_test

import (
	"testing"
	"time"

	"github.com/execref/execref/conformance"
)

// fixture is the conformance fixture for the installed resolver against
// w's fake: values of every id form and size, NOT_FOUND ids of each
// service, ids outside the resolver's syntax, and a slow id (a pinned
// version, so that it has a GetSecretValue call of its own) that the fake
// holds past the resolver's deadline.
func fixture(t *testing.T, w *world) *conformance.Fixture {
	s := seed(w.fake)
	w.fake.PutSecretString("slow/secret", "slow-value")
	w.fake.SlowID("slow/secret", time.Minute)
	p := w.provider(nil, "--timeout", "3s")
	p.TimeoutMs = 5000
	return &conformance.Fixture{
		Name:     providerName,
		Provider: p,
		Values: map[string]string{
			"sm:plain/token":                                 "tok-ABC-plain",
			"sm:prod/openai#apiKey":                          "sk-live-123",
			"sm:prod/openai#n":                               "42",
			"sm:prod/openai::AWSPREVIOUS#apiKey":             "sk-old-000",
			"sm:" + w.fake.SecretARN("prod/openai") + "#org": "org-9",
			"sm:unicode":                                     unicodeValue,
			"sm:tls/pem":                                     pem,
			"sm:prod/openai#pem":                             pem,
			"smb:bin/key":                                    "AAH+/2tleYAK",
			"ssm:/prod/openai/apiKey":                        "ssm-v3",
			"ssm:/prod/openai/apiKey:1":                      "ssm-v1",
			"ssm:/prod/openai/apiKey:stable":                 "ssm-v2",
			"ssm:/prod/json#pass":                            "ssm-json-pass",
			"ssm:/prod/unicode":                              unicodeValue,
			"ssm:plain-name":                                 "no-slash-value",
			"sm:big":                                         s.bigValue,
		},
		NotFound:   []string{"sm:missing/secret", "ssm:/missing/param", "sm:prod/openai#missing", "sm:prod/openai::NOSTAGE", "ssm:/prod/openai/apiKey:99"},
		Invalid:    []string{"nope/x", "vault:secret/x", "sm:a#b#c", "sm:#k"},
		Slow:       []string{"sm:slow/secret::AWSCURRENT"},
		GatewayEnv: map[string]string{},
	}
}

// The conformance suite, every case. Not parallel: it runs before the
// parallel tests, so that no other test writes an executable (Install)
// while the suite starts processes (see busy).
func TestConformance(t *testing.T) {
	w := newWorld(t)
	conformance.Run(t, "", fixture(t, w))
}

// The same fixture through the real OpenClaw gateway (make e2e-openclaw;
// skipped otherwise).
func TestGatewayConformance(t *testing.T) {
	w := newWorld(t)
	conformance.RunGateway(t, "", fixture(t, w))
}
