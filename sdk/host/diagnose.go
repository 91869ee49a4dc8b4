package host

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/execref/execref/protocol"
	"github.com/execref/execref/sdk/policy"
	"github.com/execref/execref/sdk/redact"
)

// Diagnosis explains a whole-provider failure to the person who configured
// the provider, with what the gateway knows and never shows: how the run
// ended, what that means under the protocol, the resolver's own reason,
// and what to change. Every text in it is redacted with the Redactor
// Diagnose was given.
type Diagnosis struct {
	// Status is how the run ended, or why there was none: "exit 77",
	// "killed by SIGSEGV", "killed when timeoutMs (5000) passed", "not run".
	Status string
	// Meaning is what Status means, e.g. "credentials refused".
	Meaning string
	// Reason is the resolver's own reason (see Reason); "" when it wrote
	// none, or did not run.
	Reason string
	// Hint is one line saying what to change.
	Hint string
	// Stderr is the end of the resolver's stderr (see StderrExcerpt).
	Stderr Excerpt
}

// Diagnose explains err, an error from Resolve, ResolveRun or Exec, with
// run, the run that produced it (nil when nothing ran). red holds every
// secret the caller knows (values of the batch, SecretEnv); it may be nil.
// The hint comes from the resolver's reason when it names something to
// change precisely (a file mode), else from the status.
func Diagnose(err error, run *Run, red *redact.Redactor) Diagnosis {
	var d Diagnosis
	if run != nil {
		d.Reason = Reason(run.Command, run.Stderr, red)
		d.Stderr = StderrExcerpt(run.Stderr, red)
	}
	d.Status, d.Meaning, d.Hint = classify(err)
	if h := reasonHint(d.Reason); h != "" {
		d.Hint = h
	}
	return d
}

// classify gives a failure's status, meaning and hint from the error
// alone.
func classify(err error) (status, meaning, hint string) {
	var pe *ProviderError
	var pol *policy.Error
	switch {
	case err == nil:
		return "", "", ""
	case errors.As(err, &pol):
		return "not run", "the command-path policy refused the command: " + pol.Rule.Error(), policyHint(pol)
	case errors.Is(err, ErrInvalidConfig):
		return "not run", "the provider block is invalid",
			"fix every problem the message lists; the gateway refuses the same block when it loads openclaw.json"
	case errors.Is(err, protocol.InvalidID), errors.Is(err, protocol.ErrInvalidProvider):
		return "not run", "a ref is invalid",
			"ids must match ^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$ with no . or .. segment, provider aliases ^[a-z][a-z0-9_-]{0,63}$"
	case errors.Is(err, ErrTooManyRefs), errors.Is(err, ErrBatchTooLarge):
		return "not run", "the batch is over the gateway's fixed limit",
			"ask for fewer ids at once, or spread the refs over several providers"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "stopped", "this host stopped the run", ""
	case !errors.As(err, &pe):
		return "", "", ""
	}
	limit := strconv.Itoa(pe.Limit)
	switch pe.Err {
	case ErrStart:
		return "not started", "the system could not start the command",
			"check that it is an executable for this system; a script's #! line must name its interpreter by absolute path (the resolver gets no PATH)"
	case ErrTimeout:
		return "killed when timeoutMs (" + limit + ") passed", "the run took too long",
			"find what is slow in the resolver's stderr, or raise timeoutMs (at most 120000) and keep the resolver's own deadline (--timeout for execref resolvers, 4s by default) about a second below it"
	case ErrNoOutputTimeout:
		return "killed after noOutputTimeoutMs (" + limit + ") without output", "the resolver was silent too long",
			"raise noOutputTimeoutMs: execref resolvers write nothing until they answer, so keep it above their --timeout (4s by default); unset, it is timeoutMs"
	case ErrOutputLimit:
		return "killed at maxOutputBytes (" + limit + ")", "stdout and stderr together exceeded the limit",
			"ask for fewer ids at once, drop --verbose from args, or raise maxOutputBytes (at most 20971520)"
	case ErrExit:
		return exitClass(pe)
	case ErrEmptyStdout:
		return "exit 0", "no response: stdout was empty",
			"the resolver must write one JSON response on stdout whenever it exits 0"
	case ErrInvalidJSON:
		return "exit 0", "stdout is not JSON",
			"stdout must hold the JSON response and nothing else (logs belong on stderr); only with jsonOnly: false and a single id is plain text the value"
	case ErrNotObject, ErrProtocolVersion, ErrMissingValues:
		return "exit 0", "the response is not a protocol 1 response",
			`the response must be {"protocolVersion":1,"values":{…}}: the command does not speak the exec SecretRef protocol`
	}
	return "", "", ""
}

// exitClass explains a non-zero exit or a signal the host did not send.
func exitClass(pe *ProviderError) (status, meaning, hint string) {
	if pe.Signal != "" {
		return "killed by " + pe.Signal, "a signal this host did not send ended the resolver",
			"it crashed (SIGSEGV, SIGABRT, SIGBUS) or something else killed it (SIGKILL is often the out-of-memory killer)"
	}
	status = "exit " + strconv.Itoa(pe.ExitCode)
	if meaning, ok := ExitMeaning(pe.ExitCode); ok {
		return status, meaning, ExitHint(pe.ExitCode)
	}
	return status, "not a status the protocol defines",
		"read the resolver's stderr: its authors define what this status means"
}

// policyHint says how to satisfy the rule the command failed.
func policyHint(e *policy.Error) string {
	switch e.Rule {
	case policy.ErrNotAbsolute:
		return "write command as an absolute path: the gateway expands nothing, not even ~"
	case policy.ErrNotReadable:
		return "check the path: no file is there, or it cannot be inspected"
	case policy.ErrDirectory:
		return "point command at the resolver itself, not at its directory"
	case policy.ErrSymlink, policy.ErrNotRegular:
		return "point command at a regular file: copy the resolver into a directory of your own (the gateway refuses symlinks, Homebrew's included)"
	case policy.ErrOutsideTrustedDirs:
		return "install the resolver inside one of trustedDirs, or add its directory to them"
	case policy.ErrTooOpen:
		return "chmod go-w " + shellQuote(e.Path)
	case policy.ErrOwner:
		return fmt.Sprintf("the gateway runs only files its user (uid %d) owns: copy the resolver into a directory of your own, e.g. install -m 0755 %s ~/.openclaw/bin/", e.UID, shellQuote(e.Path))
	case policy.ErrNotExecutable:
		return "chmod u+x " + shellQuote(e.Path)
	}
	return ""
}
