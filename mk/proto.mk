# The Go code of the resolvers' gRPC contract (go-plugin only),
# generated from sdk/plugin/resolverpb/resolver.proto and committed:
#
#   make proto   sdk/plugin/resolverpb/resolver.pb.go
#                sdk/plugin/resolverpb/resolver_grpc.pb.go
#
# protoc is Debian's (protobuf-compiler); the two Go plugins are pinned as
# tools in tools/go.mod and built from it alone (GOWORK=off), so that the
# versions the workspace selects for the SDK never change the generated
# bytes. tools/internal/protogen checks that the committed files are what
# this target writes.

PROTOC       ?= protoc
PROTO_DIR    := sdk/plugin/resolverpb
PROTO_OUT    ?= $(PROTO_DIR)
PROTO_TOOLS  ?= $(CURDIR)/build/tools
PROTO_PLUGINS := google.golang.org/protobuf/cmd/protoc-gen-go google.golang.org/grpc/cmd/protoc-gen-go-grpc

.PHONY: proto proto-tools proto-protoc

# Before anything is built, so that a machine without protoc hears at once
# what to install.
proto-protoc:
	@command -v $(PROTOC) >/dev/null 2>&1 || { \
	  echo "make proto: $(PROTOC) not found; install Debian's protobuf-compiler: apt-get install protobuf-compiler" >&2; exit 1; }

proto-tools:
	@mkdir -p $(PROTO_TOOLS)
	cd tools && GOWORK=off go build -trimpath -o $(PROTO_TOOLS)/ $(PROTO_PLUGINS)

proto: proto-protoc proto-tools
	@mkdir -p $(PROTO_OUT)
	$(PROTOC) --plugin=protoc-gen-go=$(PROTO_TOOLS)/protoc-gen-go \
	  --plugin=protoc-gen-go-grpc=$(PROTO_TOOLS)/protoc-gen-go-grpc \
	  -I $(PROTO_DIR) \
	  --go_out=$(PROTO_OUT) --go_opt=paths=source_relative \
	  --go-grpc_out=$(PROTO_OUT) --go-grpc_opt=paths=source_relative \
	  resolver.proto
