package aws

import (
	"fmt"
	"slices"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/execref/execref/protocol"
)

// stageCurrent is the staging label of a secret's current version, the
// one BatchGetSecretValue returns.
const stageCurrent = "AWSCURRENT"

// secretAnswer is one secret version in an answer of either call.
type secretAnswer struct {
	name, arn, versionID string
	stages               []string
	text                 *string
	binary               []byte
}

func (a secretAnswer) value() value {
	return value{text: awssdk.ToString(a.text), binary: a.binary, isBinary: a.text == nil}
}

// A message for answers that cannot be matched, which only something
// between the resolver and AWS produces.
const notAWS = "retry; if it persists, check what sits between the resolver and AWS (a proxy, a cache or an emulator)"

// matchSecrets gives each item of a BatchGetSecretValue call its answer.
// AWS answers every SecretId, with a value or an entry in Errors, but a
// value does not say which SecretId it answers: an item takes AWS's error
// for its own SecretId, else the values whose secret it names (see names),
// which must be one version of one secret.
func matchSecrets(items []item, answers []secretAnswer, refused map[string]types.APIErrorType) map[item]value {
	out := make(map[item]value, len(items))
	for _, it := range items {
		if e, ok := refused[it.name]; ok {
			out[it] = value{err: awsError(awssdk.ToString(e.ErrorCode), awssdk.ToString(e.Message), it)}
			continue
		}
		out[it] = matchCurrent(it, answers)
	}
	return out
}

// matchCurrent finds an item's value among a call's answers.
func matchCurrent(it item, answers []secretAnswer) value {
	var found []secretAnswer
	var arns, secrets []string // the distinct secrets found: ARNs, names
	for _, a := range answers {
		if !names(it.name, a.name, a.arn) {
			continue
		}
		if !consistent(a.name, a.arn) {
			return value{err: fmt.Errorf("%w: AWS's answer for %s names secret %q with the ARN %q, which is not that name's: %s", protocol.Unavailable, it, a.name, a.arn, notAWS)}
		}
		if len(a.stages) > 0 && !slices.Contains(a.stages, stageCurrent) {
			return value{err: fmt.Errorf("%w: AWS's answer for %s is a version labelled %s, not %s: %s", protocol.Unavailable, it, strings.Join(a.stages, ", "), stageCurrent, notAWS)}
		}
		found = append(found, a)
		if !slices.Contains(arns, a.arn) {
			arns, secrets = append(arns, a.arn), append(secrets, a.name)
		}
	}
	switch {
	case len(found) == 0:
		return value{err: fmt.Errorf("%w: AWS's answer holds neither a value nor an error for %s: %s", protocol.Unavailable, it, notAWS)}
	case len(secrets) > 1:
		return value{err: fmt.Errorf("%w: %s names %d secrets (%s): it is one's complete ARN and another's partial ARN. "+
			"Ask for the secret by name; AWS advises against secret names that end in a hyphen and six characters, which cause this",
			protocol.AmbiguousDuplicateKey, it, len(secrets), strings.Join(secrets, ", "))}
	}
	for _, a := range found[1:] {
		if a.versionID != found[0].versionID {
			return value{err: fmt.Errorf("%w: %s changed while it was read (versions %s and %s); retry", protocol.Unavailable, it, found[0].versionID, a.versionID)}
		}
	}
	return found[0].value()
}

// matchVersion checks that GetSecretValue answered the secret and the
// version asked: a cache or emulator that ignores versions, or resolves
// partial ARNs loosely, would answer another.
func matchVersion(it item, a secretAnswer) value {
	switch {
	case !names(it.name, a.name, a.arn) || !consistent(a.name, a.arn):
		return value{err: fmt.Errorf("%w: AWS answered %s with secret %q (%s), which is not the secret asked: %s", protocol.Unavailable, it, a.name, a.arn, notAWS)}
	case it.versionIsID() && a.versionID != it.version:
		return value{err: fmt.Errorf("%w: AWS answered %s with version %s, not the version asked: %s", protocol.Unavailable, it, a.versionID, notAWS)}
	case !it.versionIsID() && !slices.Contains(a.stages, it.version):
		return value{err: fmt.Errorf("%w: AWS answered %s with a version labelled %q, not %s: %s", protocol.Unavailable, it, strings.Join(a.stages, ", "), it.version, notAWS)}
	}
	return a.value()
}
