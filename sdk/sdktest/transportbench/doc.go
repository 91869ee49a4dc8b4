// Package transportbench measures one batch of a built resolver through
// each of the three ways a host can reach it, with the same provider block
// (command, args, env), so that their figures compare:
//
//   - cold: host.Runner, what the gateway does: a process per batch, which
//     pays its start, its configuration and its backend's login each time;
//   - agent: the same exec run with --agent SOCKET, forwarded to an agent
//     started once from the same binary with exactly the provider's args
//     and environment (the configuration digest refuses anything else);
//   - plugin: plugin.Runner, go-plugin, one process kept for the provider.
//
// Every batch's answer is checked (exact values, or the exact exit
// status of an expected whole-provider failure), and every batch of the
// agent transport must have been answered by the agent, as the exec
// side's --verbose line says: a benchmark cannot pass while broken, or
// while quietly measuring cold runs. Run reports, besides ns/op,
// cpu-ms/op (the resolver processes' CPU time per batch, which a busy
// machine skews far less than wall time) and the backend-side counts the
// caller supplies (logins per batch, say), so that what the agent saves
// is shown where it is saved.
//
// The transports are exported on their own (Cold, StartAgent, Plugin) for
// harnesses that pair runs or measure memory; docs/performance.md has the
// method and the figures.
package transportbench
