// Package host runs exec SecretRef resolvers the way the OpenClaw gateway
// does, so that a resolver can be tested, and a conformance harness can be
// built, against the gateway's real conditions without the gateway.
//
// It reproduces what the gateway measurably does for one exec provider:
// the config limits (Provider.Validate), the command-path policy before
// every run (package policy), the process (argv without a shell, an
// environment of passEnv + env + OPENCLAW_CLI=1 only, the command's
// directory as cwd, the request on stdin then closed, its own process
// group), the three limits (timeoutMs, noOutputTimeoutMs, maxOutputBytes,
// each ending in SIGKILL of the whole group), and the reading of the
// response (ParseResponse), with the gateway's messages word for word.
//
// Errors never contain a secret value: messages are built from names,
// ids, numbers and paths only.
package host
