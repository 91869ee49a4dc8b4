package aws

import (
	"errors"
	"testing"

	"github.com/execref/execref/protocol"
)

func TestParseID(t *testing.T) {
	arn := "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/openai-AbCdEf"
	paramARN := "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/db"
	cases := map[string]ref{
		"sm:prod/openai":                {item: item{secretsManager, "prod/openai", ""}},
		"sm:prod/openai#apiKey":         {item: item{secretsManager, "prod/openai", ""}, key: "apiKey"},
		"sm:prod/openai::AWSPREVIOUS#k": {item: item{secretsManager, "prod/openai", "AWSPREVIOUS"}, key: "k"},
		"sm:" + arn + "#apiKey":         {item: item{secretsManager, arn, ""}, key: "apiKey"},
		"sm:" + arn + "::AWSCURRENT":    {item: item{secretsManager, arn, "AWSCURRENT"}},
		"smb:tls/cert":                  {item: item{secretsManager, "tls/cert", ""}, binary: true},
		"ssm:/prod/openai/apiKey":       {item: item{parameterStore, "/prod/openai/apiKey", ""}},
		"ssm:/prod/openai/apiKey:3":     {item: item{parameterStore, "/prod/openai/apiKey:3", ""}},
		"ssm:/prod/db:live#password":    {item: item{parameterStore, "/prod/db:live", ""}, key: "password"},
		"sm:prod/openai#":               {item: item{secretsManager, "prod/openai", ""}},
		"ssm:" + paramARN + ":live#k":   {item: item{parameterStore, paramARN + ":live", ""}, key: "k"},
	}
	for id, want := range cases {
		got, err := parseID(id)
		if err != nil || got != want {
			t.Errorf("%q: %+v, %v; want %+v", id, got, err, want)
		}
	}
	for _, id := range []string{"prod/openai", "kv:x", "sm:", "sm:#k", "sm:a#b#c", "smb:a#k", "sm:a::", "sm:a::b:c", "ssm:",
		// A colon no secret name holds; ARNs of another service or shape.
		"sm:a:b", "sm:a:b::AWSCURRENT", "sm:arn:aws:ssm:us-east-1:123456789012:parameter/x", "sm:arn:aws:secretsmanager:us-east-1:123456789012:secret:",
		"sm:arn:aws:secretsmanager:us-east-1:123456789012:secret:a:b", "sm:arn:aws:secretsmanager:us-east-1:123456789012:x",
		// An empty or second selector; a parameter ARN of another shape.
		"ssm:/a:", "ssm:/a:1:2", "ssm::1", "ssm:arn:aws:ssm:us-east-1:123456789012:parameter/x:1:2", "ssm:arn:aws:ssm:us-east-1:123456789012:parameter/",
		"ssm:arn:aws:secretsmanager:us-east-1:123456789012:secret:x", "ssm:arn:aws:ssm:us-east-1:123456789012:parameter/x:"} {
		if _, err := parseID(id); !errors.Is(err, protocol.InvalidID) {
			t.Errorf("%q: %v, want INVALID_ID", id, err)
		}
	}
	if !(item{version: "a1b2c3d4-0000-4000-8000-1234567890ab"}).versionIsID() || (item{version: "AWSPREVIOUS"}).versionIsID() {
		t.Error("version id or stage misread")
	}
}

func TestPick(t *testing.T) {
	r := &Resolver{}
	doc := value{text: `{"apiKey":"sk-1","port":5432,"on":true,"nested":{"a":[1,2]},"nothing":null}`}
	ok := map[string]string{"apiKey": "sk-1", "port": "5432", "on": "true", "": doc.text}
	for key, want := range ok {
		if got, err := r.pick(doc, ref{key: key}); err != nil || got != want {
			t.Errorf("#%s: %q, %v", key, got, err)
		}
	}
	bad := map[string]protocol.Code{"missing": protocol.NotFound, "nested": protocol.InvalidValue, "nothing": protocol.InvalidValue}
	for key, code := range bad {
		if _, err := r.pick(doc, ref{key: key}); !errors.Is(err, code) {
			t.Errorf("#%s: %v, want %s", key, err, code)
		}
	}
	if _, err := r.pick(value{text: "plain"}, ref{key: "k"}); !errors.Is(err, protocol.InvalidValue) {
		t.Errorf("key of a non-JSON value: %v", err)
	}
	bin := value{binary: []byte{0xff, 0x00, 'a'}, isBinary: true}
	if got, err := r.pick(bin, ref{binary: true}); err != nil || got != "/wBh" {
		t.Errorf("smb: %q, %v", got, err)
	}
	if _, err := r.pick(bin, ref{}); !errors.Is(err, protocol.InvalidValue) {
		t.Errorf("sm: on a binary secret: %v", err)
	}
	if _, err := r.pick(doc, ref{binary: true}); !errors.Is(err, protocol.InvalidValue) {
		t.Errorf("smb: on a string secret: %v", err)
	}
	// A key that appears twice names two values; one inside another
	// object is not that key.
	dup := value{text: `{"k":"one","k":"two","o":{"x":1,"x":2},"x":"top"}`}
	if _, err := r.pick(dup, ref{key: "k"}); !errors.Is(err, protocol.AmbiguousDuplicateKey) {
		t.Errorf("duplicate key: %v", err)
	}
	if got, err := r.pick(dup, ref{key: "x"}); err != nil || got != "top" {
		t.Errorf("a nested duplicate: %q, %v", got, err)
	}
	r.jsonValues = true
	if got, _ := r.pick(doc, ref{key: "nested"}); got != `{"a":[1,2]}` {
		t.Errorf("--json: %q", got)
	}
}
