package aws

import (
	"context"
	"errors"
	"fmt"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"

	"github.com/execref/execref/protocol"
)

// AWS's per-call limits.
const (
	secretsPerBatch    = 20 // BatchGetSecretValue SecretIdList
	parametersPerBatch = 10 // GetParameters Names
)

// value is what an item holds once fetched, or why it could not be.
type value struct {
	text     string
	binary   []byte
	isBinary bool // a secret with SecretBinary and no SecretString
	err      error
}

// call is one request to AWS for one or more items. run returns each
// item's value, or an error when the call as a whole failed.
type call struct {
	items []item
	run   func(ctx context.Context) (map[item]value, error)
}

// fetchSecrets reads current secrets, up to 20 in one BatchGetSecretValue.
func fetchSecrets(client *secretsmanager.Client, items []item) call {
	return call{items: items, run: func(ctx context.Context) (map[item]value, error) {
		ids := make([]string, len(items))
		for i, it := range items {
			ids[i] = it.name
		}
		out := map[item]value{}
		in := &secretsmanager.BatchGetSecretValueInput{SecretIdList: ids}
		for {
			page, err := client.BatchGetSecretValue(ctx, in)
			if err != nil {
				return nil, err
			}
			for _, e := range page.SecretValues {
				v := value{text: awssdk.ToString(e.SecretString), binary: e.SecretBinary, isBinary: e.SecretString == nil}
				for _, it := range matchSecret(items, awssdk.ToString(e.Name), awssdk.ToString(e.ARN)) {
					out[it] = v
				}
			}
			for _, e := range page.Errors {
				for _, it := range items {
					if it.name == awssdk.ToString(e.SecretId) {
						out[it] = value{err: awsError(awssdk.ToString(e.ErrorCode), awssdk.ToString(e.Message), it)}
					}
				}
			}
			if page.NextToken == nil {
				break
			}
			in.NextToken = page.NextToken
		}
		for _, it := range items {
			if _, ok := out[it]; !ok {
				out[it] = value{err: fmt.Errorf("%w: %s was not in AWS's answer", protocol.NotFound, it)}
			}
		}
		return out, nil
	}}
}

// matchSecret finds the items that asked for a secret: by name, full
// ARN, or partial ARN (the ARN without the random suffix AWS appends). One
// batch may ask for one secret in several of these ways.
func matchSecret(items []item, name, arn string) []item {
	var found []item
	for _, it := range items {
		if it.name == name || it.name == arn || (strings.HasPrefix(it.name, "arn:") && strings.HasPrefix(arn, it.name+"-")) {
			found = append(found, it)
		}
	}
	return found
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
		return map[item]value{it: {text: awssdk.ToString(out.SecretString), binary: out.SecretBinary, isBinary: out.SecretString == nil}}, nil
	}}
}

// fetchParameters reads up to 10 parameters in one GetParameters,
// SecureStrings decrypted.
func fetchParameters(client *ssm.Client, items []item) call {
	return call{items: items, run: func(ctx context.Context) (map[item]value, error) {
		names := make([]string, len(items))
		for i, it := range items {
			names[i] = it.name
		}
		page, err := client.GetParameters(ctx, &ssm.GetParametersInput{Names: names, WithDecryption: awssdk.Bool(true)})
		var api smithy.APIError
		if len(items) > 1 && errors.As(err, &api) && codeOf(api.ErrorCode(), api.ErrorMessage()) == protocol.PermissionDenied {
			// GetParameters refuses the whole call when one name is denied
			// (or its key is): ask one by one, so that only that id fails.
			return oneByOne(ctx, client, items)
		}
		if err != nil {
			return nil, err
		}
		out := map[item]value{}
		for _, p := range page.Parameters {
			sel := awssdk.ToString(p.Selector)
			for _, it := range items {
				if it.name == awssdk.ToString(p.Name)+sel || it.name == awssdk.ToString(p.ARN)+sel {
					out[it] = value{text: awssdk.ToString(p.Value)}
				}
			}
		}
		for _, name := range page.InvalidParameters {
			for _, it := range items {
				if it.name == name {
					out[it] = value{err: fmt.Errorf("%w: no %s", protocol.NotFound, it)}
				}
			}
		}
		for _, it := range items {
			if _, ok := out[it]; !ok {
				out[it] = value{err: fmt.Errorf("%w: %s was not in AWS's answer", protocol.NotFound, it)}
			}
		}
		return out, nil
	}}
}

// oneByOne fetches parameters in calls of one, after a batch was refused.
func oneByOne(ctx context.Context, client *ssm.Client, items []item) (map[item]value, error) {
	out := map[item]value{}
	for _, it := range items {
		values, err := fetchParameters(client, []item{it}).run(ctx)
		if err != nil {
			out[it] = value{err: callError(err, it)}
			continue
		}
		out[it] = values[it]
	}
	return out, nil
}

// plan splits the items into calls: current secrets in batches of 20,
// pinned versions one by one, parameters in batches of 10.
func plan(sm *secretsmanager.Client, ps *ssm.Client, items []item) []call {
	var current, params []item
	var calls []call
	for _, it := range items {
		switch {
		case it.service == parameterStore:
			params = append(params, it)
		case it.version != "":
			calls = append(calls, fetchVersion(sm, it))
		default:
			current = append(current, it)
		}
	}
	for len(current) > 0 {
		n := min(secretsPerBatch, len(current))
		calls = append(calls, fetchSecrets(sm, current[:n]))
		current = current[n:]
	}
	for len(params) > 0 {
		n := min(parametersPerBatch, len(params))
		calls = append(calls, fetchParameters(ps, params[:n]))
		params = params[n:]
	}
	return calls
}
