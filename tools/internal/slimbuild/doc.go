// Package slimbuild holds the check that a resolver's default build (go
// build, go install, make build, the release packages) links neither
// go-plugin nor gRPC nor protobuf, and that a build with the
// execref_plugin tag links them: their package init alone costs an exec
// run about 10 ms and 4 MiB (docs/sdk.md, "go-plugin"), and the tag must
// not rot unnoticed.
package slimbuild
