// Package doctor checks a whole OpenClaw install against the user's
// openclaw.json and gives, per exec SecretRef, the real gateway's verdict,
// without ever printing a value.
//
// Run reads what package gatewayconfig decoded: every provider block is
// checked before it runs (the gateway's command-path policy with its own
// messages, passEnv names unset in the gateway's environment, env values
// that look like secrets, keys the gateway's schema refuses, and parent
// directories writable by others, which the gateway does not check); a
// resolver built on the execref SDK is compared with the binary its
// package installed (a copy older than the package is a warning), and
// asked to check its own configuration (`check`) without fetching a
// value; then every provider is resolved once, with the
// gateway's grouping, limits and concurrency, through package host, and
// each ref is reported: ok with the value's length only, or the gateway's
// code and sentence, the full reason and what to change.
//
// Text and JSON renderings live here too, so that the runner's
// `openclaw-resolver-run doctor` is only flag parsing.
package doctor
