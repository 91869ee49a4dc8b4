package host

import (
	"context"

	"github.com/execref/execref/protocol"
)

// Resolve does for one exec provider what the gateway's
// resolveSecretRefValues does: it checks the config, the alias and every
// id before anything runs, enforces maxRefsPerProvider, applies the
// command policy, enforces maxBatchBytes on the exact request, runs the
// provider once, and reads its response. Results are keyed by the trimmed
// id. No ids means no run.
//
// A whole-call failure is returned as an error: an invalid id (wrapping
// protocol.InvalidID), an invalid alias, ErrInvalidConfig, ErrTooManyRefs,
// ErrBatchTooLarge, a *policy.Error, or any failure of Exec and
// ParseResponse.
func (r *Runner) Resolve(ctx context.Context, name string, p Provider, ids []string) (map[string]Result, error) {
	results, _, err := r.ResolveRun(ctx, name, p, ids)
	return results, err
}

// ResolveRun is Resolve that also returns the run once the resolver has
// started, whether or not the provider then failed. The gateway never
// shows a resolver's stderr or exit status; a tool that must say why a
// provider failed reads them here (see Diagnose). The Run is nil when
// nothing ran: a refusal before the run, or no ids.
func (r *Runner) ResolveRun(ctx context.Context, name string, p Provider, ids []string) (map[string]Result, *Run, error) {
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	if err := protocol.ValidateProvider(name); err != nil {
		return nil, nil, err
	}
	unique, err := RequestIDs(name, ids)
	if err != nil {
		return nil, nil, err
	}
	if len(unique) == 0 {
		return map[string]Result{}, nil, nil
	}
	if len(unique) > MaxRefsPerProvider {
		return nil, nil, &ProviderError{Provider: name, Err: ErrTooManyRefs, Limit: MaxRefsPerProvider}
	}
	// The gateway checks the command before it measures the request.
	abs, err := r.checkedCommand(name, p)
	if err != nil {
		return nil, nil, err
	}
	req := protocol.EncodeRequest(protocol.Request{ProtocolVersion: protocol.Version, Provider: name, IDs: unique})
	if err := checkBatch(name, req); err != nil {
		return nil, nil, err
	}
	run, err := r.run(ctx, name, abs, p, req)
	if err != nil {
		return nil, run, err
	}
	results, err := ParseResponse(name, run.Stdout, unique, p.Limits().JSONOnly)
	return results, run, err
}

// RequestIDs trims every id, refuses an empty or invalid one, and removes
// duplicates keeping the first position, as the gateway does. The
// error unwraps to protocol.InvalidID (or the grammar's error) and reads
// as the gateway's sentence; every transport checks ids with it.
func RequestIDs(name string, ids []string) ([]string, error) {
	out := make([]string, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		id = protocol.TrimSpace(id)
		if id == "" {
			return nil, &refError{text: "Secret reference id is empty.", err: protocol.InvalidID}
		}
		if err := protocol.ValidateID(id); err != nil {
			return nil, &refError{text: err.Error() + " (ref: exec:" + name + ":" + id + ").", err: err}
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}

// checkBatch applies maxBatchBytes to the request's UTF-8 length. Ids that
// pass the grammar are ASCII and at most 256 long, so 512 of them stay far
// below the limit: the check is kept because the gateway makes it.
func checkBatch(name string, req []byte) error {
	if len(req) > MaxBatchBytes {
		return &ProviderError{Provider: name, Err: ErrBatchTooLarge, Limit: MaxBatchBytes}
	}
	return nil
}
