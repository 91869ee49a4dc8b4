package fakeaws_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/execref/execref/resolvers/aws/internal/fakeaws"
)

func TestOmitSelector(t *testing.T) {
	s := fakeaws.Start(t)
	_, ps := clients(t, s)
	s.PutParameter("/p", fakeaws.TypeString, "one")
	s.PutParameter("/p", fakeaws.TypeString, "two")
	s.LabelParameterVersion("/p", 1, "old")
	get := func() (selectors []string) {
		out, err := ps.GetParameters(ctx, &ssm.GetParametersInput{Names: []string{"/p:1", "/p:old", "/p"}})
		if err != nil || len(out.Parameters) != 3 {
			t.Fatalf("%v %+v", err, out)
		}
		for _, p := range out.Parameters {
			selectors = append(selectors, aws.ToString(p.Selector))
		}
		one, err := ps.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/p:1")})
		if err != nil || aws.ToString(one.Parameter.Value) != "one" {
			t.Fatalf("GetParameter: %v", err)
		}
		return append(selectors, aws.ToString(one.Parameter.Selector))
	}
	if got := get(); got[0] != ":1" || got[1] != ":old" || got[2] != "" || got[3] != ":1" {
		t.Errorf("by default: selectors %q", got)
	}
	s.OmitSelector(true)
	if got := get(); got[0] != "" || got[1] != "" || got[2] != "" || got[3] != "" {
		t.Errorf("omitted: selectors %q", got)
	}
}

func TestIgnoreSecretVersions(t *testing.T) {
	s := fakeaws.Start(t)
	sm, _ := clients(t, s)
	old := s.PutSecretString("a", "old")
	s.PutSecretString("a", "new")
	get := func(in *secretsmanager.GetSecretValueInput) string {
		in.SecretId = aws.String("a")
		out, err := sm.GetSecretValue(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.SecretString)
	}
	if get(&secretsmanager.GetSecretValueInput{VersionStage: aws.String("AWSPREVIOUS")}) != "old" || get(&secretsmanager.GetSecretValueInput{VersionId: aws.String(old)}) != "old" {
		t.Error("by default a pinned version is answered")
	}
	s.IgnoreSecretVersions(true)
	if get(&secretsmanager.GetSecretValueInput{VersionStage: aws.String("AWSPREVIOUS")}) != "new" || get(&secretsmanager.GetSecretValueInput{VersionId: aws.String(old)}) != "new" {
		t.Error("ignoring versions: the current version is answered")
	}
}

func TestLoosePartialARNs(t *testing.T) {
	s := fakeaws.Start(t)
	sm, _ := clients(t, s)
	s.PutSecretString("prod/openai", "openai")
	s.PutSecretString("prod/openai-extra", "extra")
	full := s.SecretARN("prod/openai")
	partial := full[:len(full)-7]
	get := func(id string) string {
		out, err := sm.BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{SecretIdList: []string{id}})
		if err != nil || len(out.SecretValues) != 1 {
			t.Fatalf("%s: %v %+v", id, err, out)
		}
		return aws.ToString(out.SecretValues[0].Name)
	}
	if got := get(partial); got != "prod/openai" {
		t.Errorf("by default: %s", got)
	}
	s.LoosePartialARNs(true)
	if got := get(partial); got != "prod/openai-extra" {
		t.Errorf("loose: %s, want the longest name", got)
	}
	if got := get(full); got != "prod/openai" {
		t.Errorf("loose, complete ARN: %s", got)
	}
}
