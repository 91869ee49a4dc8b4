package fakeaws_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/execref/execref/resolvers/aws/internal/fakeaws"
)

// A string that is one secret's complete ARN and another's partial ARN
// finds the first, every time: the choice does not depend on map order.
func TestCompleteARNBeforePartial(t *testing.T) {
	s := fakeaws.Start(t)
	sm, _ := clients(t, s)
	s.PutSecretString("app", "app-value")
	full := s.SecretARN("app")
	lookAlike := "app" + full[len(full)-7:] // its partial ARN is app's complete ARN
	s.PutSecretString(lookAlike, "look-alike-value")
	for i := range 50 {
		s.PutSecretString(fmt.Sprintf("app%02d", i), "filler") // more map entries, more orders
	}
	for range 20 {
		out, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(full)})
		if err != nil || aws.ToString(out.Name) != "app" {
			t.Fatalf("%s: %v, got %s, want app", full, err, aws.ToString(out.Name))
		}
	}
	out, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(s.SecretARN(lookAlike))})
	if err != nil || aws.ToString(out.Name) != lookAlike {
		t.Errorf("look-alike by its complete ARN: %v %s", err, aws.ToString(out.Name))
	}
}

// "x" and "/x" have the same ARN: by ARN, the fake finds "x" when it
// exists, else "/x".
func TestOneLevelParameterByARN(t *testing.T) {
	s := fakeaws.Start(t)
	_, ps := clients(t, s)
	s.PutParameter("/x", fakeaws.TypeString, "slash x")
	s.PutParameter("/x", fakeaws.TypeString, "slash x 2")
	get := func(name string) string {
		out, err := ps.GetParameters(ctx, &ssm.GetParametersInput{Names: []string{name}})
		if err != nil || len(out.Parameters) != 1 {
			t.Fatalf("%s: %v %+v", name, err, out)
		}
		return aws.ToString(out.Parameters[0].Name) + "=" + aws.ToString(out.Parameters[0].Value)
	}
	if got := get(s.ParameterARN("/x") + ":1"); got != "/x=slash x" {
		t.Errorf("only /x: %s", got)
	}
	s.PutParameter("x", fakeaws.TypeString, "plain x")
	if got := get(s.ParameterARN("/x")); got != "x=plain x" {
		t.Errorf("x and /x: %s", got)
	}
}
