package aws

import (
	"context"
	"errors"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"

	"github.com/execref/execref/protocol"
)

// fetchParameters reads up to 10 parameters in one GetParameters,
// SecureStrings decrypted. The items are of different parameters (see
// packParameters).
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
		return matchParameters(items, page.Parameters, page.InvalidParameters), nil
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
