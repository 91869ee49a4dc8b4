package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
)

// Fixture tells the suite what a target can resolve and how to run it. It
// is a JSON file (schema: schema/fixture.schema.json); Provider is the
// provider block exactly as it appears under secrets.providers in
// openclaw.json.
type Fixture struct {
	// Name is the provider alias the requests carry.
	Name string `json:"name"`
	// Provider is how the gateway runs the target. A relative command is
	// taken relative to the fixture file's directory; a target given on
	// the command line replaces it.
	Provider host.Provider `json:"provider"`
	// Values maps ids to the exact values they must resolve to. At least
	// one is required.
	Values map[string]string `json:"values"`
	// NotFound lists ids that must answer NOT_FOUND. At least one is
	// required; the suite also derives more ids from them by appending
	// "-N", which must be NOT_FOUND too.
	NotFound []string `json:"notFound"`
	// Ambiguous lists ids that must answer AMBIGUOUS_DUPLICATE_KEY.
	Ambiguous []string `json:"ambiguous,omitempty"`
	// Invalid lists ids that fit the gateway's grammar but not the target's
	// own id syntax: they must answer INVALID_ID.
	Invalid []string `json:"invalid,omitempty"`
	// Slow lists ids the target cannot answer before its deadline; they
	// must answer TIMEOUT while the other ids of the batch resolve, before
	// the host's timeoutMs.
	Slow []string `json:"slow,omitempty"`
	// GatewayEnv is the gateway's own environment, the source of passEnv
	// values. Unset, the suite uses its own process environment.
	GatewayEnv map[string]string `json:"gatewayEnv,omitempty"`

	dir  string // the fixture file's directory, for a relative command
	path string // the fixture file, for reports
}

// ErrFixture marks a fixture that cannot be used.
var ErrFixture = errors.New("invalid fixture")

// LoadFixture reads and checks a fixture file.
func LoadFixture(path string) (*Fixture, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFixture, err)
	}
	f, err := ParseFixture(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f.path, _ = filepath.Abs(path)
	f.dir = filepath.Dir(f.path)
	return f, nil
}

// ParseFixture checks a fixture against its schema and its rules, and
// decodes it.
func ParseFixture(data []byte) (*Fixture, error) {
	s, _, err := schemas()
	if err != nil {
		return nil, err
	}
	if err := validate(s, data); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFixture, err)
	}
	var f Fixture
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFixture, err)
	}
	return &f, f.check()
}

func (f *Fixture) check() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrFixture, fmt.Sprintf(format, args...))
	}
	if err := protocol.ValidateProvider(f.Name); err != nil {
		return bad("name: %v", err)
	}
	if len(f.Values) == 0 {
		return bad("values: at least one id and its value are required")
	}
	if len(f.NotFound) == 0 {
		return bad("notFound: at least one id that does not exist is required")
	}
	seen := map[string]string{}
	for field, ids := range map[string][]string{"values": keys(f.Values), "notFound": f.NotFound,
		"ambiguous": f.Ambiguous, "invalid": f.Invalid, "slow": f.Slow} {
		for _, id := range ids {
			if err := protocol.ValidateID(id); err != nil {
				return bad("%s: %v", field, err)
			}
			if other, dup := seen[id]; dup {
				return bad("id %s is in both %s and %s", idText(id), other, field)
			}
			seen[id] = field
		}
	}
	for id, v := range f.Values {
		switch {
		case protocol.TrimSpace(v) == "":
			return bad("values[%s]: an expected value must not be empty", idText(id))
		case protocol.IsRedactionPlaceholder(v):
			// The gateway refuses it (SECRET_REF_REDACTED_VALUE), so a
			// resolver that passed it through would be rated conformant
			// for an answer the gateway breaks on.
			return bad("values[%s]: %q is one of the gateway's redaction placeholders, which it refuses as a secret; expect a real test value", idText(id), protocol.TrimSpace(v))
		}
	}
	if err := f.Provider.Validate(); err != nil && f.Provider.Command != "" {
		return bad("provider: %v", err)
	}
	return nil
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
