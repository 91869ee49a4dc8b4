package aws

// ProviderTemplate is what `openclaw-aws-resolver install` prints beside
// the command: static keys from the gateway's environment.
func (r *Resolver) ProviderTemplate() (args, passEnv []string, note string) {
	return nil, []string{"AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"},
		"Static keys. A profile (--profile NAME, passEnv HOME), an assumed role (--role-arn),\n" +
			"or an instance/container/IRSA role: docs/resolvers/aws.md."
}
