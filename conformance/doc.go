// Package conformance proves that an exec SecretRef resolver, written in
// any language, behaves as the OpenClaw gateway needs. It runs the target
// binary only through the SDK's host runner, under the gateway's
// conditions (command-path policy, empty environment plus passEnv and env,
// cwd = the binary's directory, timeouts, output limit), and judges each
// answer against a fixture that says what the target can resolve. A
// target built on the execref SDK can be run over its other transports
// too, go-plugin and its warm agent (see Transport), and must answer the
// same way over each.
//
// Use it from Go tests with Run, from code with Suite, or from a shell with
// the openclaw-resolver-conformance command.
package conformance
