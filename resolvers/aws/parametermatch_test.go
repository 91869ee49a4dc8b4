package aws

import (
	"fmt"
	"testing"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/execref/execref/protocol"
)

const paramARN = "arn:aws:ssm:us-east-1:123456789012:parameter/x"

func TestSplitSelector(t *testing.T) {
	for in, want := range map[string][2]string{
		"/a/b":              {"/a/b", ""},
		"/a/b:3":            {"/a/b", ":3"},
		"x:live":            {"x", ":live"},
		paramARN:            {paramARN, ""},
		paramARN + ":3":     {paramARN, ":3"},
		paramARN + ":label": {paramARN, ":label"},
	} {
		if p, s, ok := splitSelector(in); !ok || p != want[0] || s != want[1] {
			t.Errorf("%q: %q %q %v", in, p, s, ok)
		}
	}
	for in, want := range map[string]int64{":3": 3, ":03": 3} {
		if n, ok := selectorVersion(in); !ok || n != want {
			t.Errorf("selectorVersion(%q) = %d, %v", in, n, ok)
		}
	}
	for _, in := range []string{"", ":", ":live", ":+3", ":-3", ":3a"} {
		if _, ok := selectorVersion(in); ok {
			t.Errorf("selectorVersion(%q) is a version", in)
		}
	}
	for _, same := range []string{"x", "/x", "//x", "X", paramARN, "arn:aws:ssm:eu-west-1:210987654321:parameter/x"} {
		if parameterFamily(same) != "x" {
			t.Errorf("parameterFamily(%q) = %q", same, parameterFamily(same))
		}
	}
}

func param(name, arn, selector string, version int64) types.Parameter {
	p := types.Parameter{Name: awssdk.String(name), ARN: awssdk.String(arn), Version: version,
		Value: awssdk.String(fmt.Sprintf("value of %s version %d", name, version))}
	if selector != "" {
		p.Selector = awssdk.String(selector)
	}
	return p
}

func TestMatchParameters(t *testing.T) {
	v1, v3 := param("/x", paramARN, "", 1), param("/x", paramARN, "", 3)
	v1sel, live := param("/x", paramARN, ":1", 1), param("/x", paramARN, ":live", 2)
	for _, c := range []struct {
		name    string
		item    string
		answers []types.Parameter
		invalid []string
		want    string        // the value, or
		code    protocol.Code // the error
	}{
		{"unversioned", "/x", []types.Parameter{v3}, nil, *v3.Value, ""},
		{"by ARN", paramARN, []types.Parameter{v3}, nil, *v3.Value, ""},
		{"version, by Selector", "/x:1", []types.Parameter{v1sel}, nil, *v1sel.Value, ""},
		{"version, by Version without Selector", "/x:1", []types.Parameter{v1}, nil, *v1.Value, ""},
		{"label, by Selector", "/x:live", []types.Parameter{live}, nil, *live.Value, ""},
		{"unversioned, answered with a Selector", "/x", []types.Parameter{v1sel}, nil, "", protocol.Unavailable},
		{"version, another Version without Selector", "/x:1", []types.Parameter{v3}, nil, "", protocol.Unavailable},
		{"version, another Selector", "/x:3", []types.Parameter{param("/x", paramARN, ":live", 3)}, nil, "", protocol.Unavailable},
		{"label without Selector", "/x:live", []types.Parameter{param("/x", paramARN, "", 2)}, nil, "", protocol.Unavailable},
		{"label, another Selector", "/x:live", []types.Parameter{param("/x", paramARN, ":old", 2)}, nil, "", protocol.Unavailable},
		{"two answers", "/x", []types.Parameter{v3, v3}, nil, "", protocol.AmbiguousDuplicateKey},
		{"an answer and not found", "/x", []types.Parameter{v3}, []string{"/x"}, "", protocol.AmbiguousDuplicateKey},
		{"not found", "/x:9", nil, []string{"/x:9"}, "", protocol.NotFound},
		{"no answer", "/x", nil, nil, "", protocol.Unavailable},
		{"another name of the parameter", "x", []types.Parameter{v3}, nil, "", protocol.Unavailable},
		{"another parameter", "/y", []types.Parameter{v3}, []string{"/x"}, "", protocol.Unavailable},
	} {
		it := item{service: parameterStore, name: c.item}
		got := matchParameters([]item{it}, c.answers, c.invalid)[it]
		if fmt.Sprint(protocol.CodeOf(got.err)) != fmt.Sprint(c.code) || got.text != c.want {
			t.Errorf("%s: %q, %v; want %q, %q", c.name, got.text, got.err, c.want, c.code)
		}
	}
}

func TestPackParameters(t *testing.T) {
	var items []item
	for _, n := range []string{"/x", "/x:1", "x", paramARN, paramARN + ":live", "/X:2"} {
		items = append(items, item{service: parameterStore, name: n})
	}
	for i := range 20 {
		items = append(items, item{service: parameterStore, name: fmt.Sprintf("/p%02d", i)})
	}
	calls := packParameters(items)
	n := 0
	for _, c := range calls {
		families := map[string]bool{}
		for _, it := range c {
			p, _, _ := splitSelector(it.name)
			if families[parameterFamily(p)] {
				t.Errorf("a call holds two items of %s: %v", p, c)
			}
			families[parameterFamily(p)] = true
		}
		if len(c) > parametersPerBatch {
			t.Errorf("a call of %d", len(c))
		}
		n += len(c)
	}
	if n != len(items) || len(calls) != 6 {
		t.Errorf("%d items in %d calls, want %d in 6", n, len(calls), len(items))
	}
}
