package doctor

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk"
	"github.com/execref/execref/sdk/check"
	"github.com/execref/execref/sdk/host"
	"github.com/execref/execref/sdk/redact"
)

// selfCheck runs `COMMAND [args...] check` under the gateway's conditions
// (environment, cwd, limits; no stdin) and turns its answer into
// findings, their name and detail as the resolver wrote them (see
// settleSelfCheck). Its exit status follows the first failed check (78, 77, 69);
// what counts is the JSON on stdout.
func selfCheck(ctx context.Context, r *host.Runner, name string, p host.Provider) []Finding {
	p.Args = append(append([]string(nil), p.Args...), "check")
	run, err := r.Exec(ctx, name, p, nil)
	if run == nil {
		// Refused before it started (the policy); reported by CheckCommand.
		return nil
	}
	out, decodeErr := check.Decode(run.Stdout)
	if decodeErr != nil {
		return []Finding{noSelfCheck(err, run)}
	}
	findings := make([]Finding, 0, len(out.Checks))
	for _, c := range out.Checks {
		f := Finding{Check: selfCheckPrefix + c.Name, Status: Status(c.Status), Detail: c.Detail, Code: string(c.Code)}
		if c.Name == CheckSelfCheck {
			f.Check = CheckSelfCheck // the SDK's own entry, e.g. "this resolver has no self-check"
		}
		findings = append(findings, f)
	}
	if len(findings) == 0 {
		findings = append(findings, Finding{Check: CheckSelfCheck, Status: StatusOK, Detail: "the resolver had nothing to check"})
	}
	return findings
}

// Bounds of what a self-check quotes from the resolver: a name is a word
// or two; a detail is a reason, as long as one a resolver writes on
// stderr (host.Reason keeps about 1 KiB).
const (
	maxCheckName   = 80
	maxCheckDetail = 1024
)

// settleSelfCheck makes a provider's self-check findings safe to print,
// once every provider has finished and the redactor knows every value:
// the resolver's names and details are redacted, then kept to one short
// line (in that order: escaped or cut, a value matches none of the
// redactor's forms), and a failed check gets its fix.
func (d *doctor) settleSelfCheck(p *Provider) {
	for i := range p.Findings {
		f := &p.Findings[i]
		name, fromResolver := strings.CutPrefix(f.Check, selfCheckPrefix)
		if !fromResolver && f.Check != CheckSelfCheck {
			continue
		}
		if fromResolver {
			f.Check = selfCheckPrefix + oneLine(d.red.String(name), maxCheckName)
		}
		if f.Status == StatusFail {
			f.Fix = selfCheckFix(p.Command, protocol.Code(f.Code), f.Detail, &d.red)
		}
		f.Detail = oneLine(d.red.String(f.Detail), maxCheckDetail)
		f.Code = oneLine(d.red.String(f.Code), maxCheckName)
	}
}

// noSelfCheck explains a run that gave no check answer: a resolver from
// before `check`, or one that failed to answer.
func noSelfCheck(err error, run *host.Run) Finding {
	f := Finding{Check: CheckSelfCheck, Status: StatusWarn}
	var pe *host.ProviderError
	switch {
	case run.ExitCode == sdk.ExitUsage:
		f.Detail = "the resolver does not know `check` (exit 64): it predates the self-check"
		f.Fix = "install a current release of the resolver to have it check its own configuration"
	case errors.As(err, &pe) && pe.Err != host.ErrExit:
		f.Detail = "the self-check did not finish: " + err.Error()
	default:
		f.Detail = "the self-check gave no readable answer (exit " + strconv.Itoa(run.ExitCode) + ")"
	}
	return f
}

// selfCheckFix says what to change after a failed self-check. The check
// fails with the exit status its class gives a resolution (78, 77, 69),
// and its detail is the reason the resolver would give on stderr, so the
// host's diagnosis of that failure applies as it is: a precise change when
// the detail names one (chmod 0600 FILE), else the status's hint.
func selfCheckFix(command string, code protocol.Code, detail string, red *redact.Redactor) string {
	status := sdk.ExitFailure
	switch code {
	case check.CodeConfig:
		status = sdk.ExitConfig
	case protocol.Unauthenticated, protocol.PermissionDenied:
		status = sdk.ExitNoPerm
	case protocol.Unavailable, protocol.RateLimited, protocol.Timeout:
		status = sdk.ExitUnavailable
	case protocol.Internal:
		status = sdk.ExitInternal
	}
	err := &host.ProviderError{Err: host.ErrExit, ExitCode: status}
	return host.Diagnose(err, &host.Run{Command: command, Stderr: []byte(detail)}, red).Hint
}
