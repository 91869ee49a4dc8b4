package aws

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/execref/execref/protocol"
)

const arnPrefix = "arn:aws:secretsmanager:us-east-1:123456789012:secret:"

// answer is a consistent answer for secret name with ARN suffix sfx.
func answer(name, sfx, versionID string, stages ...string) secretAnswer {
	text := "value of " + name + " " + versionID
	return secretAnswer{name: name, arn: arnPrefix + name + "-" + sfx, versionID: versionID, stages: stages, text: &text}
}

func TestNames(t *testing.T) {
	x := answer("prod/openai", "AbCdEf", "v")
	for _, c := range []struct {
		asked, name, arn string
		want             bool
	}{
		{"prod/openai", x.name, x.arn, true},
		{x.arn, x.name, x.arn, true},
		{arnPrefix + "prod/openai", x.name, x.arn, true},
		{arnPrefix + "prod/openai", "prod/openai-extra", arnPrefix + "prod/openai-extra-XyZ123", false}, // defect 1
		{arnPrefix + "prod/openai", "prod/openai-1", arnPrefix + "prod/openai-1-XyZ123", false},
		{arnPrefix + "prod/open", x.name, x.arn, false},
		{"prod/openai-AbCdEf", x.name, x.arn, false}, // a name is a name, never an ARN's tail
		{"PROD/openai", x.name, x.arn, false},
		{arnPrefix + "prod/openai", "prod/openai", arnPrefix + "prod/openai-AbCdE", false}, // five characters
		{arnPrefix + "prod/openai", "prod/openai", arnPrefix + "prod/openai-AbC_Ef", false},
		{arnPrefix + "prod/openai", "prod/openai", arnPrefix + "prod/openai-AbCdEfG", false},
		// One's complete ARN, another's partial ARN: both are named.
		{x.arn, "prod/openai-AbCdEf", x.arn + "-XyZ123", true},
	} {
		if got := names(c.asked, c.name, c.arn); got != c.want {
			t.Errorf("names(%q, %q, %q) = %v", c.asked, c.name, c.arn, got)
		}
	}
	if !consistent(x.name, x.arn) || consistent("prod/openai-extra", x.arn) || consistent(x.name, arnPrefix+"prod/openai") || consistent(x.name, "") {
		t.Error("consistent")
	}
	for asked, want := range map[string][]string{
		"prod/openai":             {"prod/openai"},
		arnPrefix + "prod/openai": {"prod/openai"},
		x.arn:                     {"prod/openai-AbCdEf", "prod/openai"},
	} {
		if got := possibleNames(asked); !slices.Equal(got, want) {
			t.Errorf("possibleNames(%q) = %q, want %q", asked, got, want)
		}
	}
}

func current(name string) item { return item{service: secretsManager, name: name} }

func TestMatchSecrets(t *testing.T) {
	x, extra := answer("prod/openai", "AbCdEf", "v1", stageCurrent), answer("prod/openai-extra", "XyZ123", "v2", stageCurrent)
	y := answer("prod/openai-AbCdEf", "Qwe123", "v3", stageCurrent) // its partial ARN is x's complete ARN
	partial := arnPrefix + "prod/openai"
	stale := answer("prod/openai", "AbCdEf", "v0", stageCurrent)
	previous := answer("prod/openai", "AbCdEf", "v0", "AWSPREVIOUS")
	bad := x
	bad.arn = extra.arn
	denied := types.APIErrorType{SecretId: awssdk.String(partial), ErrorCode: awssdk.String("ResourceNotFoundException"), Message: awssdk.String("gone")}

	for _, c := range []struct {
		name    string
		item    string
		answers []secretAnswer
		refused map[string]types.APIErrorType
		want    string        // the answer's value, or
		code    protocol.Code // its error
	}{
		{"partial ARN among look-alikes", partial, []secretAnswer{extra, x, extra}, nil, *x.text, ""},
		{"by name", "prod/openai", []secretAnswer{extra, x}, nil, *x.text, ""},
		{"by complete ARN", x.arn, []secretAnswer{x}, nil, *x.text, ""},
		{"the same secret answered twice", partial, []secretAnswer{x, x}, nil, *x.text, ""},
		{"one's complete ARN, another's partial", x.arn, []secretAnswer{x, y}, nil, "", protocol.AmbiguousDuplicateKey},
		{"only a look-alike", partial, []secretAnswer{extra}, nil, "", protocol.Unavailable},
		{"nothing", "prod/openai", nil, nil, "", protocol.Unavailable},
		{"AWS's error for the SecretId wins", partial, []secretAnswer{x}, map[string]types.APIErrorType{partial: denied}, "", protocol.NotFound},
		{"an error for another SecretId", "prod/openai", []secretAnswer{x}, map[string]types.APIErrorType{partial: denied}, *x.text, ""},
		{"name and ARN disagree", "prod/openai", []secretAnswer{bad}, nil, "", protocol.Unavailable},
		{"two versions", "prod/openai", []secretAnswer{x, stale}, nil, "", protocol.Unavailable},
		{"not the current version", "prod/openai", []secretAnswer{previous}, nil, "", protocol.Unavailable},
	} {
		it := current(c.item)
		got := matchSecrets([]item{it}, c.answers, c.refused)[it]
		if fmt.Sprint(protocol.CodeOf(got.err)) != fmt.Sprint(c.code) || got.text != c.want {
			t.Errorf("%s: %q, %v; want %q, %q", c.name, got.text, got.err, c.want, c.code)
		}
	}
}

func TestMatchVersion(t *testing.T) {
	const v1 = "a1b2c3d4-0000-4000-8000-1234567890ab"
	x := answer("a", "AbCdEf", v1, "AWSPREVIOUS")
	other := answer("a-extra", "XyZ123", v1, "AWSPREVIOUS")
	for _, c := range []struct {
		name string
		it   item
		a    secretAnswer
		ok   bool
	}{
		{"stage", item{secretsManager, "a", "AWSPREVIOUS"}, x, true},
		{"version id", item{secretsManager, arnPrefix + "a", v1}, x, true},
		{"another stage", item{secretsManager, "a", "AWSCURRENT"}, x, false},
		{"no stages", item{secretsManager, "a", "AWSPREVIOUS"}, answer("a", "AbCdEf", v1), false},
		{"another version id", item{secretsManager, "a", "a1b2c3d4-0000-4000-8000-000000000000"}, x, false},
		{"another secret", item{secretsManager, arnPrefix + "a", "AWSPREVIOUS"}, other, false},
	} {
		got := matchVersion(c.it, c.a)
		if c.ok != (got.err == nil) || !c.ok && !errors.Is(got.err, protocol.Unavailable) {
			t.Errorf("%s: %v", c.name, got.err)
		}
	}
}

func TestPackSecrets(t *testing.T) {
	x := arnPrefix + "app-AbCdEf"
	var items []item
	for i := range 19 {
		items = append(items, current(fmt.Sprintf("fill/%02d", i)))
	}
	// x, its partial ARN, and the secret whose partial ARN x is, asked
	// after 19 others, then more.
	related := []item{current(x), current("app-AbCdEf"), current(arnPrefix + "app"), current("app"), current(x + "-XyZ123")}
	items = append(items, related...)
	for i := range 30 {
		items = append(items, current(fmt.Sprintf("more/%02d", i)))
	}
	calls := packSecrets(items)
	var all []item
	for _, c := range calls {
		if len(c) > secretsPerBatch {
			t.Errorf("a call of %d", len(c))
		}
		if slices.Contains(c, related[0]) {
			for _, r := range related {
				if !slices.Contains(c, r) {
					t.Errorf("%s is not in the call of %s", r.name, x)
				}
			}
		}
		all = append(all, c...)
	}
	if len(all) != len(items) || len(calls) != 3 {
		t.Errorf("%d items in %d calls, want %d in 3", len(all), len(calls), len(items))
	}

	// Unrelated secrets fill calls in order.
	items = nil
	for i := range 250 {
		items = append(items, current(fmt.Sprintf("s%03d", i)))
	}
	if calls := packSecrets(items); len(calls) != 13 || !slices.Equal(calls[0], items[:20]) {
		t.Errorf("250 secrets in %d calls", len(calls))
	}
}
