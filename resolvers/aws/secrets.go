package aws

import (
	"context"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// fetchSecrets reads current secrets, up to 20 in one BatchGetSecretValue.
func fetchSecrets(client *secretsmanager.Client, items []item) call {
	return call{items: items, run: func(ctx context.Context) (map[item]value, error) {
		ids := make([]string, len(items))
		for i, it := range items {
			ids[i] = it.name
		}
		var answers []secretAnswer
		refused := map[string]types.APIErrorType{} // by SecretId, as asked
		in := &secretsmanager.BatchGetSecretValueInput{SecretIdList: ids}
		for {
			page, err := client.BatchGetSecretValue(ctx, in)
			if err != nil {
				return nil, err
			}
			for _, e := range page.SecretValues {
				answers = append(answers, secretAnswer{
					name: awssdk.ToString(e.Name), arn: awssdk.ToString(e.ARN), versionID: awssdk.ToString(e.VersionId),
					stages: e.VersionStages, text: e.SecretString, binary: e.SecretBinary,
				})
			}
			for _, e := range page.Errors {
				id := awssdk.ToString(e.SecretId)
				if _, seen := refused[id]; !seen {
					refused[id] = e // the first, should AWS list a SecretId twice
				}
			}
			if page.NextToken == nil {
				break
			}
			in.NextToken = page.NextToken
		}
		return matchSecrets(items, answers, refused), nil
	}}
}

// fetchVersion reads one pinned version of a secret: BatchGetSecretValue
// knows only the current one.
func fetchVersion(client *secretsmanager.Client, it item) call {
	return call{items: []item{it}, run: func(ctx context.Context) (map[item]value, error) {
		in := &secretsmanager.GetSecretValueInput{SecretId: awssdk.String(it.name)}
		if it.versionIsID() {
			in.VersionId = awssdk.String(it.version)
		} else {
			in.VersionStage = awssdk.String(it.version)
		}
		out, err := client.GetSecretValue(ctx, in)
		if err != nil {
			return nil, err
		}
		a := secretAnswer{
			name: awssdk.ToString(out.Name), arn: awssdk.ToString(out.ARN), versionID: awssdk.ToString(out.VersionId),
			stages: out.VersionStages, text: out.SecretString, binary: out.SecretBinary,
		}
		return map[item]value{it: matchVersion(it, a)}, nil
	}}
}
