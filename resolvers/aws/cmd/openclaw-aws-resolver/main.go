// Command openclaw-aws-resolver resolves OpenClaw exec SecretRefs from AWS
// Secrets Manager and SSM Parameter Store. See docs/resolvers/aws.md.
package main

import (
	"github.com/execref/execref/resolvers/aws"
	"github.com/execref/execref/sdk"
)

func main() {
	sdk.Main(sdk.Program{
		Name:    "openclaw-aws-resolver",
		Summary: "secrets from AWS Secrets Manager and SSM Parameter Store",
		Backend: aws.New(),
	})
}
