package aws

import (
	"fmt"
	"slices"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/execref/execref/protocol"
)

// matchParameters gives each item of a GetParameters call its answer.
// No two items of a call are of one parameter, so an answer whose Name or
// ARN is an item's parameter, exactly, can only be that item's; it is
// taken when its selector proves it too (see checkSelector). AWS lists
// in InvalidParameters, as asked, the names it has no such parameter or
// version for. Anything else (no answer, or two) is an error: an answer
// is never guessed, nor taken by name alone.
func matchParameters(items []item, params []types.Parameter, invalid []string) map[item]value {
	out := make(map[item]value, len(items))
	for _, it := range items {
		param, selector, _ := splitSelector(it.name)
		var found []types.Parameter
		for _, p := range params {
			if awssdk.ToString(p.Name) == param || awssdk.ToString(p.ARN) == param {
				found = append(found, p)
			}
		}
		listed := slices.Contains(invalid, it.name)
		switch {
		case len(found) == 0 && listed:
			out[it] = value{err: notFound(it, selector)}
		case len(found) == 0:
			out[it] = value{err: fmt.Errorf("%w: AWS's answer neither holds a value for %s nor says it does not exist: %s", protocol.Unavailable, it, notAWS)}
		case len(found) > 1 || listed:
			out[it] = value{err: fmt.Errorf("%w: AWS's answer holds more than one answer for %s; none is taken: %s", protocol.AmbiguousDuplicateKey, it, notAWS)}
		default:
			if why := checkSelector(selector, found[0]); why != "" {
				out[it] = value{err: fmt.Errorf("%w: AWS's answer for %s cannot be proven to be it: %s", protocol.Unavailable, it, why)}
			} else {
				out[it] = value{text: awssdk.ToString(found[0].Value)}
			}
		}
	}
	return out
}

// checkSelector says why an answer of an item's parameter is not the
// version its selector asks, or "" when it is: its Selector is the one
// asked, none for an unversioned item; or, Selector left out (emulators,
// proxies, older APIs do), its Version is the number asked.
func checkSelector(selector string, p types.Parameter) string {
	got := awssdk.ToString(p.Selector)
	n, isVersion := selectorVersion(selector)
	switch {
	case got == selector:
		return ""
	case got != "":
		return fmt.Sprintf("it answers the selector %s", got)
	case isVersion && p.Version == n:
		return ""
	case isVersion:
		return fmt.Sprintf("it is version %d, and does not say which selector it answers (no Selector)", p.Version)
	}
	return "it does not say which version it is (no Selector), and only Selector proves a label; " +
		"ask for the version number instead (ssm:NAME:VERSION), or reach SSM without the proxy or emulator that drops Selector"
}

// notFound is an item that InvalidParameters lists.
func notFound(it item, selector string) error {
	param, _, _ := splitSelector(it.name)
	if n, ok := selectorVersion(selector); ok {
		return fmt.Errorf("%w: no parameter %s, or it has no version %d", protocol.NotFound, param, n)
	}
	if selector != "" {
		return fmt.Errorf("%w: no parameter %s, or no version of it labelled %s", protocol.NotFound, param, selector[1:])
	}
	return fmt.Errorf("%w: no %s", protocol.NotFound, it)
}
