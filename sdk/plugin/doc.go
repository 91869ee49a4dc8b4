// Package plugin is the go-plugin transport of execref resolvers: the same
// batch resolve as the exec protocol (sdk/plugin/resolverpb), served by
// sdk.Main when a go-plugin host starts the resolver, and a host side,
// Runner, that a Go program uses instead of host.Runner by changing one
// line: same Provider, same Results, same errors, same command-path
// policy, but one long-lived resolver process per provider instead of one
// per batch.
//
// Only gRPC is spoken (no net/rpc), over the unix socket go-plugin sets
// up in a 0700 directory of its own.
package plugin
