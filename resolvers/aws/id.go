package aws

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/execref/execref/protocol"
)

// service is where an id is read from.
type service int

const (
	secretsManager service = iota
	parameterStore
)

// item is one thing to fetch: a secret or parameter, with its version.
// Ids asking different keys of one item, or its text and its binary,
// share it, so it is fetched once.
type item struct {
	service service
	name    string // secret name or ARN; parameter name or ARN (with its :selector)
	version string // Secrets Manager: a stage or a version id; "" = AWSCURRENT
}

// ref is a parsed id: an item and what is wanted of it.
type ref struct {
	item
	binary bool   // smb: SecretBinary, base64
	key    string // a JSON key of the value; "" = the whole value
}

// uuid recognises a Secrets Manager version id among version selectors.
var uuid = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// parseID reads sm:NAME[::VERSION][#KEY], smb:NAME[::VERSION] and
// ssm:NAME[:SELECTOR][#KEY].
func parseID(id string) (ref, error) {
	bad := func(why string) (ref, error) {
		return ref{}, fmt.Errorf("%w: %q: %s", protocol.InvalidID, id, why)
	}
	prefix, rest, ok := strings.Cut(id, ":")
	var r ref
	switch {
	case !ok:
		return bad("want sm:NAME, smb:NAME or ssm:NAME")
	case prefix == "sm":
		r.service = secretsManager
	case prefix == "smb":
		r.service, r.binary = secretsManager, true
	case prefix == "ssm":
		r.service = parameterStore
	default:
		return bad("unknown prefix " + prefix + ": want sm:, smb: or ssm:")
	}
	name, key, _ := strings.Cut(rest, "#")
	if strings.Contains(key, "#") {
		return bad("more than one '#'")
	}
	if key != "" && r.binary {
		return bad("smb: returns the whole binary secret; a #KEY needs sm:")
	}
	r.key = key
	if r.service == secretsManager {
		// ARNs hold single colons; a version follows a double one.
		if n, version, ok := strings.Cut(name, "::"); ok {
			if version == "" || strings.Contains(version, ":") {
				return bad("want NAME::STAGE or NAME::VERSION-ID")
			}
			name, r.version = n, version
		}
	}
	if name == "" {
		return bad("empty name")
	}
	if why := checkName(r.service, name); why != "" {
		return bad(why)
	}
	r.name = name
	return r, nil
}

// checkName refuses names whose reading would be a guess: a colon where
// neither a secret name nor a parameter name can hold one, an ARN of
// another service, an empty or second selector.
func checkName(s service, name string) string {
	switch {
	case s == parameterStore:
		if _, _, ok := splitSelector(name); !ok {
			return "want ssm:NAME, ssm:NAME:VERSION or ssm:NAME:LABEL, NAME a parameter name or ARN"
		}
	case strings.HasPrefix(name, "arn:"):
		if _, ok := secretARNName(name); !ok {
			return "want arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME"
		}
	case strings.Contains(name, ":"):
		return "a secret name holds no ':' (a version follows '::')"
	}
	return ""
}

// versionField says how a Secrets Manager version selector is sent.
func (it item) versionIsID() bool { return uuid.MatchString(it.version) }

func (it item) String() string {
	if it.service == parameterStore {
		return "parameter " + it.name
	}
	if it.version != "" {
		return "secret " + it.name + " (version " + it.version + ")"
	}
	return "secret " + it.name
}
