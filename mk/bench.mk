# Benchmarks: every module's (go test work), then the Vault test module's
# against the in-process Vault (GOWORK=off, its own build cache; see
# VAULT_GO in the Makefile). Not in CI: figures are for people, recorded
# in docs/performance.md with the machine they were taken on.
#
#   make bench                               everything, about 1 s a case
#   make bench BENCH=Transport BENCHTIME=3s  cold exec vs agent vs go-plugin
#                                            (docs/performance.md)
#
# -p 1: one package's benchmarks at a time, so that no two measure each
# other's load (go test would run packages in parallel).

BENCH     ?= .
BENCHTIME ?= 1s
BENCHFLAGS = -run '^$$' -bench '$(BENCH)' -benchtime $(BENCHTIME) -benchmem -count=1 -p 1

bench: bench-vault
	go test $(BENCHFLAGS) work

# Whole runs of the built resolver against the in-process Vault.
bench-vault:
	$(VAULT_GO) go test $(BENCHFLAGS) ./...

# make bench-compare: our resolvers side by side with what users would run
# instead (the floor, the gateway's bundled Node resolvers, the docs' sops
# recipe, the agent against a cold run), alternating runs, medians with
# min-max, peak RSS; writes the tables of docs/performance.md ("Side by
# side"). Everything it runs besides ours is built here into $(BENCH_TOOLS):
# the floor, the fakes (fakeop, fakeaws-server), the sops CLI and
# age-keygen at the versions the sops resolver links (module proxy), and
# the Vault test module's test binary, whose TestBenchServer serves a real
# Vault. CI runs it at one id as a smoke test (BENCH_IDS=1 BENCH_DOCS=).
#
#   make bench-compare                      1, 64 and 512 ids; docs/performance.md
#   make bench-compare BENCH_ONLY=vault     one section (vault aws sops 1password floor agent together)
#   make bench-compare BENCH_IDS=1 BENCH_RUNS=3 BENCH_DOCS=   a quick look, printed

BENCH_TOOLS  := $(CACHE)/bench
BENCH_IDS    ?= 1,64,512
BENCH_RUNS   ?= 10
BENCH_ONLY   ?=
BENCH_DOCS   ?= docs/performance.md
SOPS_MODULE  := github.com/getsops/sops/v3
SOPS_VERSION  = $(shell cd resolvers/sops && go list -m -f '{{.Version}}' $(SOPS_MODULE))
AGE_VERSION   = $(shell cd resolvers/sops && go list -m -f '{{.Version}}' filippo.io/age)

bench-compare: build bench-tools
	@paths=$$(scripts/install-openclaw.sh "$(CACHE)") || exit 1; \
	  while IFS= read -r line; do export "$$line"; done <<< "$$paths"; \
	  go run ./tools/cmd/execref-bench-compare -bin $(BIN) -tools $(BENCH_TOOLS) \
	    -ids $(BENCH_IDS) -runs $(BENCH_RUNS) $(if $(BENCH_ONLY),-only $(BENCH_ONLY)) \
	    $(if $(BENCH_DOCS),-docs $(BENCH_DOCS)) -json $(BIN)/bench-compare.json \
	    -command "make bench-compare BENCH_IDS=$(BENCH_IDS) BENCH_RUNS=$(BENCH_RUNS)$(if $(BENCH_ONLY), BENCH_ONLY=$(BENCH_ONLY))"

# The programs bench-compare runs besides ours. go install keeps sops and
# age-keygen per version: a cached build is reused.
bench-tools:
	@mkdir -p $(BENCH_TOOLS)
	go build -trimpath -o $(BENCH_TOOLS)/ ./tools/cmd/execref-bench-floor ./resolvers/onepassword/internal/fakeop ./resolvers/aws/internal/cmd/fakeaws-server
	GOWORK=off GOBIN=$(BENCH_TOOLS) go install -trimpath $(SOPS_MODULE)/cmd/sops@$(SOPS_VERSION)
	GOWORK=off GOBIN=$(BENCH_TOOLS) go install -trimpath filippo.io/age/cmd/age-keygen@$(AGE_VERSION)
	$(VAULT_GO) go test -c -o $(BENCH_TOOLS)/vault-bench.test .
