// The repository's own tools, never released: modrelease (releasing the
// Go modules), execref-licenses and execref-homebrew (goreleaser's inputs:
// licences and Homebrew formulae), and the pinned protoc generators that
// make proto builds from this file alone (mk/proto.mk). In go.work for
// development and CI only.
module github.com/execref/execref/tools

go 1.25.8

require (
	github.com/google/licensecheck v0.3.1
	golang.org/x/mod v0.37.0
)

require (
	google.golang.org/grpc/cmd/protoc-gen-go-grpc v1.6.2 // indirect
	google.golang.org/protobuf v1.36.12 // indirect
)

tool (
	google.golang.org/grpc/cmd/protoc-gen-go-grpc
	google.golang.org/protobuf/cmd/protoc-gen-go
)
