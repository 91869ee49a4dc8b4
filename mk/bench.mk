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
