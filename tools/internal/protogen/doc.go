// Package protogen holds the check that the committed Go code of the
// resolvers' gRPC contract (sdk/plugin/resolverpb) is exactly what
// `make proto` (mk/proto.mk) generates from resolver.proto with the
// generators pinned in tools/go.mod.
package protogen
