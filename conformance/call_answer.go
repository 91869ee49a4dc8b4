package conformance

import (
	"errors"
	"fmt"
	"time"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/host"
)

// tryCall sends ids over go-plugin and reads the answer as the runner
// hands it over: one host.Result per asked id, the exec host's reading of
// the answer (host.ParseResponse) by construction. What the suite would
// refuse in an exec response and the runner still shows is refused here
// the same way: an id left unanswered, an error without a code.
func (c *checker) tryCall(cl caller, alias string, ids []string) (*response, *failure) {
	res, err := cl.call(c.ctx, alias, c.provider, ids)
	c.noteTimeout(err)
	if err != nil {
		cause := c.red.String(err.Error())
		return nil, &failure{cause: cause, text: c.red.String(fmt.Sprintf("%s (over go-plugin, after %s; %s)",
			cause, res.took.Round(time.Millisecond), c.stderrExcerpt(res.stderr)))}
	}
	r := &response{values: map[string]any{}, errors: map[string]protocol.Error{}, took: res.took, output: -1, stderr: res.stderr}
	// The runner answered, so the ids passed its checks: these are the
	// ids it sent, trimmed and de-duplicated as the gateway sends them.
	asked, _ := host.RequestIDs(alias, ids)
	for _, id := range asked {
		if err := r.take(id, res.results[id]); err != nil {
			return nil, &failure{cause: c.red.String(err.Error()), text: c.red.String(fmt.Sprintf("%v (over go-plugin; %s)", err, c.stderrExcerpt(res.stderr)))}
		}
	}
	return r, nil
}

// take records one id's Result as the exec response would have held it:
// a value (a value the gateway refuses is kept, for the case to judge),
// or the resolver's error.
func (r *response) take(id string, got host.Result) error {
	var idErr *protocol.Error
	switch {
	case got.Err == nil, errors.Is(got.Err, host.ErrNotString), errors.Is(got.Err, host.ErrRedactedValue):
		r.values[id] = got.Value
	case errors.Is(got.Err, host.ErrMissingID):
		return notAnswered(id)
	case errors.As(got.Err, &idErr) && idErr.Code == "":
		return refuse(`errors[%s] has no "code": the gateway fails that id as SECRET_REF_PROVIDER_ERROR and loses the code`, idText(id))
	case errors.As(got.Err, &idErr):
		r.errors[id] = *idErr
	default:
		return refuse("%s: %v", idText(id), got.Err)
	}
	return nil
}
