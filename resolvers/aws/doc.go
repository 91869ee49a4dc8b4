// Package aws is the backend of openclaw-aws-resolver: it answers OpenClaw
// exec SecretRef ids from AWS Secrets Manager ("sm:prod/openai#apiKey") and
// SSM Parameter Store ("ssm:/prod/openai/apiKey"), batched:
// BatchGetSecretValue takes 20 secrets a call and GetParameters 10
// parameters. See docs/resolvers/aws.md.
package aws
