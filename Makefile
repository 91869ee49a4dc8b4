# execref — build, test and lint every module of the workspace (go.work).
# Heavy caches live under $(CACHE); nothing here needs network access beyond
# the Go module proxy.

SHELL        := /bin/bash
CACHE        ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/execref
BIN          := $(CURDIR)/bin
# Release tags are vX.Y.Z; the modules' own tags (sdk/vX.Y.Z, …) sit on the
# same commit and must never become the version.
VERSION      ?= $(shell git describe --tags --match 'v[0-9]*' --always --dirty 2>/dev/null || echo dev)
LDFLAGS      := -s -w -X github.com/execref/execref/sdk.Version=$(VERSION)
STATICCHECK  := $(CACHE)/tools/staticcheck-v0.8.2
# The build tag that links go-plugin serving into a resolver; make build and
# the packages leave it out (docs/sdk.md, "go-plugin").
PLUGIN_TAGS  := -tags execref_plugin
# Main packages shipped as binaries; resolvers add theirs here.
COMMANDS     := ./sdk/cmd/... ./sdk/examples/... ./conformance/cmd/... ./resolvers/sops/cmd/... ./resolvers/vault/cmd/... ./resolvers/aws/cmd/... ./resolvers/onepassword/cmd/...

.PHONY: all build test test-vault lint bench bench-vault bench-compare bench-tools demo conformance e2e-openclaw clean help

all: lint test build

help:
	@echo "make demo   build a resolver and resolve refs through the gateway-equivalent runner"
	@echo "make test   vet and test every module (go test work with the race detector, then test-vault)"
	@echo "make build  build every binary into ./bin, version $(VERSION)"
	@echo "make lint   gofmt, go vet and staticcheck"
	@echo "make bench [BENCH=Transport] [BENCHTIME=1s]  benchmarks; Transport: cold exec vs agent vs go-plugin (docs/performance.md)"
	@echo "make test-vault   the Vault resolver against a real Vault in process (GOWORK=off, cache $(VAULT_CACHE))"
	@echo "make bench-vault  the Vault resolver's benchmarks against that Vault"
	@echo "make bench-compare [BENCH_IDS=1,64,512] [BENCH_ONLY=vault]  ours side by side with the floor, the bundled Node resolvers, the sops recipe, the agent (docs/performance.md)"
	@echo "make conformance  the conformance suite against the reference resolver, and its SDK-built twin over exec and the agent, and built with -tags execref_plugin over go-plugin (JUnit: bin/conformance/junit*.xml)"
	@echo "make e2e-openclaw  install Node 24 and openclaw (npm) under $(CACHE), resolve through the real gateway"
	@echo "make man-completions  man pages and bash/zsh/fish completions into build/"
	@echo "make package [TARGETS=linux_amd64]  release archives, .debs, checksums, Homebrew formulae into dist/ (docs/install.md)"
	@echo "make package-repro  build the packages twice and compare them byte for byte"
	@echo "make package-check  lintian, archive and package contents, Homebrew formulae"
	@echo "make apt-repo APT_SIGNING_KEY=FPR  a signed apt repository in dist/apt"
	@echo "make apt-repo-test  the apt repository's layout and apt's verdicts on it"
	@echo "make apt-e2e  as root: install from the apt repository, conformance, the real gateway as a new user, purge"
	@echo "make release-check  rehearse a module release: local GOPROXY, go install from outside (docs/releasing.md)"
	@echo "make proto  regenerate the gRPC code of sdk/plugin/resolverpb (protoc from Debian's protobuf-compiler)"
	@echo "make clean  remove ./bin (the demo too), build/ and dist/"

build:
	@mkdir -p $(BIN)
	go build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/ $(COMMANDS)

# make test runs every module: the workspace with the race detector, then
# the Vault test module (below), whose adversarial test against a real Vault
# belongs to the exactness suite of every resolver.
test:
	go vet work
	go test -race -count=1 work
	$(MAKE) --no-print-directory test-vault

# The Vault resolver's integration tests run a real Vault in this process:
# resolvers/vault/vaulttest is a module of its own that links all of Vault,
# so it is not in go.work (go test work never builds it) and is built with
# GOWORK=off. Its build cache lives under $(CACHE), shared by test-vault and
# bench-vault, so that CI runs reuse it: the first build of Vault takes
# minutes, later ones seconds. No race detector here: that would be a
# second full build of Vault; the resolver's own unit tests run with -race
# under make test.
VAULTTEST   := resolvers/vault/vaulttest
VAULT_CACHE := $(CACHE)/go-build-vault
VAULT_GO    := cd $(VAULTTEST) && GOWORK=off GOCACHE=$(VAULT_CACHE)

test-vault:
	$(VAULT_GO) go vet ./...
	$(VAULT_GO) go test -count=1 ./...

# The tagged vet and staticcheck see sdk/pluginserve.go, which only builds
# with the tag.
lint: $(STATICCHECK)
	@unformatted=$$(gofmt -l .); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	go vet work
	$(STATICCHECK) work
	go vet $(PLUGIN_TAGS) ./sdk
	$(STATICCHECK) $(PLUGIN_TAGS) ./sdk

$(STATICCHECK):
	@mkdir -p $(dir $@)
	GOBIN=$(CACHE)/tools/staticcheck-build go install honnef.co/go/tools/cmd/staticcheck@v0.8.2
	mv $(CACHE)/tools/staticcheck-build/staticcheck $@

# End to end through the real gateway: install Node 24 and the openclaw npm
# package under $(CACHE) (once), then run every test named *Gateway* with
# them, the Vault resolver's (in $(VAULTTEST), against a real Vault)
# included. EXECREF_REQUIRE_GATEWAY=1 makes those tests fail, not skip, if
# the install is not usable.
# The suite's own reference resolver, installed beside its fixture as a
# third party would, through the CLI, then the same resolver written on the
# SDK over all three transports: built as go install builds it over exec
# and the agent, and with -tags execref_plugin over go-plugin, which the
# default build refuses (docs/sdk.md, "go-plugin"). The Go tests also run
# every mutant and every resolver of the repository through the suite.
CONFORMANCE := $(BIN)/conformance
conformance: build
	@mkdir -p $(CONFORMANCE)/reference $(CONFORMANCE)/sdk $(CONFORMANCE)/sdk-plugin
	go build -trimpath -o $(CONFORMANCE)/reference/resolver ./conformance/testdata/resolver
	go build -trimpath -o $(CONFORMANCE)/sdk/resolver ./conformance/testdata/sdkresolver
	go build -trimpath $(PLUGIN_TAGS) -o $(CONFORMANCE)/sdk-plugin/resolver ./conformance/testdata/sdkresolver
	cp conformance/testdata/fixtures/reference.json $(CONFORMANCE)/reference/fixture.json
	cp conformance/testdata/fixtures/reference.json $(CONFORMANCE)/sdk/fixture.json
	cp conformance/testdata/fixtures/reference.json $(CONFORMANCE)/sdk-plugin/fixture.json
	$(BIN)/openclaw-resolver-conformance --fixture $(CONFORMANCE)/reference/fixture.json --junit $(CONFORMANCE)/junit.xml
	$(BIN)/openclaw-resolver-conformance --fixture $(CONFORMANCE)/sdk/fixture.json --transport exec,agent --junit $(CONFORMANCE)/junit-transports.xml
	$(BIN)/openclaw-resolver-conformance --fixture $(CONFORMANCE)/sdk-plugin/fixture.json --transport plugin --junit $(CONFORMANCE)/junit-plugin.xml

e2e-openclaw:
	@paths=$$(scripts/install-openclaw.sh "$(CACHE)") || exit 1; \
	  while IFS= read -r line; do echo "$$line"; export "$$line"; done <<< "$$paths"; \
	  EXECREF_REQUIRE_GATEWAY=1 go test -count=1 -run 'Gateway' work && \
	  $(VAULT_GO) EXECREF_REQUIRE_GATEWAY=1 go test -count=1 -run 'Gateway' ./...

# The demo installs openclaw-sops-resolver the way an operator would (a
# regular, user-owned 0755 file in a directory of one's own), creates an age
# key and an encrypted example file on first run (never committed: they
# live under ./bin), then resolves refs through the host runner exactly as
# the gateway would, values masked.
DEMO := $(BIN)/demo
demo: build
	@mkdir -p $(DEMO) && chmod 700 $(DEMO)
	@install -m 0755 $(BIN)/openclaw-sops-resolver $(DEMO)/openclaw-sops-resolver
	@go run ./resolvers/sops/internal/demo $(DEMO)
	$(BIN)/openclaw-resolver-run --provider demo --command $(DEMO)/openclaw-sops-resolver \
	  --arg=--file --arg=secrets.enc.yaml --env SOPS_AGE_KEY_FILE=$(DEMO)/age-key.txt --trusted-dir $(DEMO) \
	  openai/apiKey github/token database/url missing/key ; \
	  status=$$?; [ $$status -eq 1 ] || { echo "demo: expected exit 1 (one id is missing on purpose), got $$status"; exit 1; }

clean:
	rm -rf $(BIN) build dist

# Release and packaging targets, one file per concern (man pages and
# completions, modules, packages, the apt repository).
include $(wildcard mk/*.mk)
