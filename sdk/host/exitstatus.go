package host

// exitStatuses are the statuses the protocol gives a whole-provider
// failure (docs/protocol.md, "Exit status"), BSD sysexits, which every
// resolver built on the SDK uses (sdk.Exit*). The gateway reports them all
// as "exited with code N"; these say what each one means, and what to
// change.
var exitStatuses = map[int]struct{ meaning, hint string }{
	1: {"whole-provider failure of no more precise class",
		"read the resolver's reason; it gave no more precise class of failure"},
	64: {"usage: the resolver refused its command line",
		"fix args in the provider block (run the command with --help to see its flags)"},
	65: {"the request on stdin was unusable",
		"the resolver could not read the gateway's request: it may not speak protocolVersion 1, or a wrapper changes stdin"},
	69: {"backend unavailable: unreachable, throttling, or out of time",
		"check the backend's address and that this machine reaches it; if it is only slow, raise timeoutMs and the resolver's --timeout (about a second below timeoutMs)"},
	70: {"internal error: a bug in the resolver (a panic)",
		"report it to the resolver's authors with the output of a run with --verbose (its stack, redacted)"},
	74: {"stdout could not be written",
		"the resolver could not write its answer: whatever reads its stdout went away"},
	77: {"credentials refused",
		"the backend refused the credentials: check the key or token the provider passes (env, passEnv, or a file they name), that it is the one the backend expects, and that it has not expired"},
	78: {"configuration missing or invalid",
		"fix the configuration the reason names: the provider's args, env or passEnv, or a file they name"},
}

// ExitMeaning is what a resolver's non-zero exit status means under the
// protocol, e.g. "credentials refused" for 77. ok is false for a status
// the protocol does not define.
func ExitMeaning(code int) (meaning string, ok bool) {
	s, ok := exitStatuses[code]
	return s.meaning, ok
}

// ExitHint is what to change after a resolver exited with code: one line
// for a person, "" for a status the protocol does not define.
func ExitHint(code int) string {
	return exitStatuses[code].hint
}
