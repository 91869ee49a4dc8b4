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
//
// A resolver serves go-plugin only when built with the execref_plugin tag
// (go build -tags execref_plugin): this package links go-plugin, gRPC and
// protobuf, whose package init would cost every exec run of the default
// build about 10 ms and 4 MiB. A default build that a go-plugin host
// starts refuses at once (package handshake holds what both sides need
// without linking go-plugin), and Runner reports it as ErrNotServed.
// docs/sdk.md, "go-plugin", says more.
package plugin
