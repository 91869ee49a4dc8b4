package doctor

import (
	"context"
	"unicode/utf8"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/gatewayconfig"
	"github.com/execref/execref/sdk/host"
)

// outcome is one id's result: a value's length, or why it failed.
type outcome struct {
	length int
	err    error
	// whole is the failure of the whole provider, shared by its ids; nil
	// for an id's own.
	whole *providerFailure
}

// providerFailure is a whole-provider failure. Its diagnosis quotes the
// resolver's stderr, redacted, cut and escaped; it is built only once
// every provider has finished (diagnose), when the redactor knows every
// value: a provider that finishes later may return a value this one's
// stderr holds, and no scrub can find a value in text already cut or
// escaped.
type providerFailure struct {
	run       *host.Run
	diag      host.Diagnosis
	diagnosed bool
}

// groupRefs groups ids per provider as the gateway does: trimmed, each id
// once, in the order the config first names it. A ref the schema refuses
// is left out, so that it cannot fail the others' run.
func groupRefs(refs []gatewayconfig.Ref) map[string][]string {
	groups := map[string][]string{}
	seen := map[string]bool{}
	for _, r := range refs {
		if r.Err != nil {
			continue // the gateway refuses the config; the ref is reported alone
		}
		id := protocol.TrimSpace(r.ID)
		key := r.Provider + "\x00" + id
		if !seen[key] {
			seen[key] = true
			groups[r.Provider] = append(groups[r.Provider], id)
		}
	}
	return groups
}

// effectiveLimits are the gateway's resolution limits: the config's when
// it sets them, within the gateway's own (which openclaw 2026.9.6 fixes:
// it reads no secrets.resolution).
func effectiveLimits(cfg gatewayconfig.Resolution) gatewayconfig.Resolution {
	within := func(v, max int) int {
		if v > 0 && v < max {
			return v
		}
		return max
	}
	return gatewayconfig.Resolution{
		MaxProviderConcurrency: within(cfg.MaxProviderConcurrency, host.MaxProviderConcurrency),
		MaxRefsPerProvider:     within(cfg.MaxRefsPerProvider, host.MaxRefsPerProvider),
		MaxBatchBytes:          within(cfg.MaxBatchBytes, host.MaxBatchBytes),
	}
}

// resolve runs the provider once for all its ids, through the host
// runner (policy, environment, cwd, limits, parsing: the gateway's), and
// measures what came back. A whole-provider failure fails every id.
func (d *doctor) resolve(ctx context.Context, name string, p host.Provider, ids []string) map[string]outcome {
	out := make(map[string]outcome, len(ids))
	failAll := func(err error, run *host.Run) map[string]outcome {
		whole := &providerFailure{run: run}
		for _, id := range ids {
			out[id] = outcome{err: err, whole: whole}
		}
		return out
	}
	if err := d.checkLimits(name, ids); err != nil {
		return failAll(err, nil)
	}
	results, run, err := d.runner.ResolveRun(ctx, name, p, ids)
	if err != nil {
		return failAll(err, run)
	}
	for _, id := range ids {
		res := results[id]
		d.red.Add(host.ValueSecrets(res.Value)...) // even a refused value is a value
		o := outcome{err: res.Err}
		if res.Err == nil {
			s, _ := res.Value.(string)
			o.length = utf8.RuneCountInString(s)
		}
		out[id] = o
	}
	return out
}

// diagnose explains every whole-provider failure. Run calls it once all
// providers have finished, so that the redactor knows every value.
func (d *doctor) diagnose(outcomes []map[string]outcome) {
	for _, byID := range outcomes {
		for _, o := range byID {
			if o.whole != nil && !o.whole.diagnosed {
				o.whole.diag, o.whole.diagnosed = host.Diagnose(o.err, o.whole.run, &d.red), true
			}
		}
	}
}

// checkLimits applies configured resolution limits tighter than the
// runner's own (which are the gateway's defaults and always apply).
func (d *doctor) checkLimits(name string, ids []string) error {
	if n := d.limits.MaxRefsPerProvider; len(ids) > n {
		return &host.ProviderError{Provider: name, Err: host.ErrTooManyRefs, Limit: n}
	}
	req := protocol.EncodeRequest(protocol.Request{ProtocolVersion: protocol.Version, Provider: name, IDs: ids})
	if n := d.limits.MaxBatchBytes; len(req) > n {
		return &host.ProviderError{Provider: name, Err: host.ErrBatchTooLarge, Limit: n}
	}
	return nil
}
